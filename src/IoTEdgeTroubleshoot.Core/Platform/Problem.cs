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
        InvalidArgument,
        InvalidOperation,
        ConnectionError,
        NotImplemented,
    }

    /// <summary>
    /// One problem with one item. <see cref="ErrorId"/> is stable (scripts and Pester match on it);
    /// <see cref="Target"/> is the real object (a path, a device id).
    /// </summary>
    public sealed class Problem
    {
        public Problem(string errorId, ProblemKind kind, object? target, string message, Exception? exception = null)
        {
            ErrorId = errorId;
            Kind = kind;
            Target = target;
            Message = message;
            Exception = exception;
        }

        public string ErrorId { get; }

        public ProblemKind Kind { get; }

        public object? Target { get; }

        public string Message { get; }

        public Exception? Exception { get; }

        /// <summary>Where in a file the problem is, when it is about a file's content.</summary>
        public string? FilePath { get; set; }

        public long? Line { get; set; }

        public long? Column { get; set; }

        public override string ToString() => Message;
    }

    /// <summary>
    /// An error that makes the requested work impossible. Thrown by Core, turned into a
    /// terminating error record with the same ErrorId by the cmdlet base class.
    /// </summary>
    public sealed class TroubleshootException : Exception
    {
        public TroubleshootException(string errorId, ProblemKind kind, object? target, string message, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
            Target = target;
        }

        public string ErrorId { get; }

        public ProblemKind Kind { get; }

        public object? Target { get; }
    }
}
