using System;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>Core's own list of error categories; the cmdlet layer maps them to ErrorCategory.</summary>
    public enum ProblemKind
    {
        InvalidData,
        ObjectNotFound,
        PermissionDenied,
        ReadError,
        WriteError,
        InvalidArgument,
        InvalidOperation,
        ConnectionError,
        NotImplemented,
        OperationTimeout,
    }

    /// <summary>Where in a file a problem is: shown as path:line:column, as editors and compilers do.</summary>
    public sealed class FilePosition
    {
        public FilePosition(string path, long line, long column)
        {
            Path = path;
            Line = line;
            Column = column;
        }

        public string Path { get; }

        /// <summary>1-based.</summary>
        public long Line { get; }

        /// <summary>1-based.</summary>
        public long Column { get; }

        public override string ToString() => $"{Path}:{Line}:{Column}";
    }

    /// <summary>
    /// One problem with one item. <see cref="ErrorId"/> is stable (one of <see cref="ErrorIds"/>:
    /// scripts and Pester match on it); <see cref="Target"/> is the real object (a path, a device id).
    /// </summary>
    public sealed class Problem
    {
        private readonly string _text;

        public Problem(string errorId, ProblemKind kind, object? target, string message, Exception? exception = null, FilePosition? position = null)
            : this(errorId, kind, target, exception, position, SecretMasker.Mask(message)) // messages echo file content and user input
        {
        }

        private Problem(string errorId, ProblemKind kind, object? target, Exception? exception, FilePosition? position, string maskedText)
        {
            ErrorId = errorId;
            Kind = kind;
            Target = target;
            _text = maskedText;
            Exception = exception;
            Position = position;
        }

        /// <summary>
        /// The same problem <paramref name="lines"/> lines further into its file: for a part of a large file read on its
        /// own, which counts its lines from the part's first.
        /// </summary>
        internal Problem LinesLater(long lines) =>
            Position == null || lines == 0 ? this : new Problem(ErrorId, Kind, Target, Exception, new FilePosition(Position.Path, Position.Line + lines, Position.Column), _text);

        /// <summary>The same problem without its place in the file: for a line that could not be told.</summary>
        internal Problem WithoutPosition() => Position == null ? this : new Problem(ErrorId, Kind, Target, Exception, null, _text);

        public string ErrorId { get; }

        public ProblemKind Kind { get; }

        public object? Target { get; }

        /// <summary>The message, led by path:line:column when the problem is at a place in a file.</summary>
        public string Message => Position == null ? _text : $"{Position}: {_text}";

        public Exception? Exception { get; }

        /// <summary>Where in a file the problem is, when it is about a file's content.</summary>
        public FilePosition? Position { get; }

        /// <summary>The exception an error record carries: the cause when there is one, else one made from this problem.</summary>
        public Exception ToException() => Exception ?? new TroubleshootException(ErrorId, Kind, Target, _text, Position);

        public override string ToString() => Message;
    }

    /// <summary>
    /// An error that makes the requested work impossible. Thrown by Core, turned into an error record
    /// with the same ErrorId by the cmdlet base class. <see cref="Position"/> tells scripts where in
    /// a file (<c>$_.Exception.Position.Line</c>); the message already starts with it.
    /// </summary>
    public sealed class TroubleshootException : Exception
    {
        public TroubleshootException(string errorId, ProblemKind kind, object? target, string message, Exception? inner = null)
            : this(errorId, kind, target, message, null, inner)
        {
        }

        public TroubleshootException(string errorId, ProblemKind kind, object? target, string message, FilePosition? position, Exception? inner = null)
            : base(position == null ? SecretMasker.Mask(message) : $"{position}: {SecretMasker.Mask(message)}", inner)
        {
            ErrorId = errorId;
            Kind = kind;
            Target = target;
            Position = position;
        }

        public string ErrorId { get; }

        public ProblemKind Kind { get; }

        public object? Target { get; }

        public FilePosition? Position { get; }

        public Problem ToProblem() => new Problem(ErrorId, Kind, Target, Message, this);
    }
}
