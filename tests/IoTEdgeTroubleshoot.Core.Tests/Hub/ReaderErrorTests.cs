using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using IoTEdgeTroubleshoot.Hub;
using IoTEdgeTroubleshoot.Platform;
using IoTEdgeTroubleshoot.Tests.Platform;
using Xunit;
using static IoTEdgeTroubleshoot.Tests.Hub.Hostile;

namespace IoTEdgeTroubleshoot.Tests.Hub
{
    /// <summary>
    /// Issue 8, class 6 (the readers' part): no raw .NET exception reaches the user. An unreadable folder, a
    /// disk error in the middle of a file and a defect on a reader thread each become a problem (or a
    /// TroubleshootException) with a stable ErrorId, the right kind, the real target and what to do.
    /// </summary>
    public class ReaderErrorTests
    {
        [MachineFact]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public void UnreadableSubfolder_IsAPermissionDeniedProblem_AndTheOtherFoldersAreSearched()
        {
            using var dir = new TempFolder();
            dir.Write("a/a.json", "");
            dir.Write("locked/hidden.json", "");
            dir.Write("z/z.json", "");
            string locked = Path.Combine(dir.Path, "locked");
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // 0700, owned by us

            var reporter = new CollectingReporter();
            IReadOnlyList<string> files = Array.Empty<string>();
            bool ran;
            if (Environment.UserName == "root")
            {
                // Root reads any folder: search it as user nobody (this thread only), as a real user would.
                ran = AsNobody(() => files = LogFileFinder.Find(dir.Path, reporter, CancellationToken.None));
            }
            else
            {
                File.SetUnixFileMode(locked, UnixFileMode.None);
                files = LogFileFinder.Find(dir.Path, reporter, CancellationToken.None);
                File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                ran = true;
            }

            Assert.True(ran, "this machine lets root search as nobody (setfsuid)");

            Assert.Equal(new[] { "a.json", "z.json" }, files.Select(Path.GetFileName));
            var problem = Assert.Single(reporter.Problems);
            Assert.Equal(("LogFolderUnreadable", ProblemKind.PermissionDenied, (object?)locked), (problem.ErrorId, problem.Kind, problem.Target));
            Assert.Contains($"Cannot search the folder '{locked}': access is denied", problem.Message);
            Assert.Contains("Run as a user who can list it", problem.Message);
            Assert.IsType<UnauthorizedAccessException>(problem.Exception);
        }

        [MachineFact]
        [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
        public void APathHiddenByAFolderThatMayNotBeSearched_IsThatFoldersProblem_NotAMissingPath()
        {
            using var dir = new TempFolder();
            string file = dir.Write("locked/deeper/x.json", "");
            string locked = Path.Combine(dir.Path, "locked");
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Problem? hidden = null, missing = null, other = null;

            Assert.True(AsNobody(() =>
            {
                hidden = LogFileFinder.FolderInTheWay(file, "./locked/deeper/x.json");
                missing = LogFileFinder.FolderInTheWay(Path.Combine(dir.Path, "nothing", "x.json"));
                other = LogFileFinder.FolderInTheWay(Path.Combine(locked, "*.json"));
            }), "this machine lets root search as nobody (setfsuid)");

            Assert.Equal(("LogFolderUnreadable", ProblemKind.PermissionDenied, (object?)locked), (hidden!.ErrorId, hidden.Kind, hidden.Target));
            Assert.StartsWith($"Cannot reach './locked/deeper/x.json': access to the folder '{locked}' is denied", hidden.Message);
            Assert.Null(missing);
            Assert.Equal(locked, other!.Target);
            Assert.Null(LogFileFinder.FolderInTheWay(file)); // root may search it
        }

        [Fact]
        public void FolderFailures_NameTheFolderAndSayWhatToDo()
        {
            var denied = LogFileFinder.FolderFailure("/logs/x", new UnauthorizedAccessException("denied"));
            var broken = LogFileFinder.FolderFailure("/logs/x", new IOException("Input/output error"));

            Assert.Equal(("LogFolderUnreadable", ProblemKind.PermissionDenied, (object?)"/logs/x"), (denied.ErrorId, denied.Kind, denied.Target));
            Assert.Equal(("LogFolderUnreadable", ProblemKind.ReadError), (broken.ErrorId, broken.Kind));
            Assert.Contains("Input/output error", broken.Message);
        }

        [Fact]
        public void ADiskErrorInTheMiddleOfAFile_IsAReadErrorProblemAtItsLine_AndTheRecordsBeforeItAreKept()
        {
            // More than the 64 KiB the form is decided from, so that the failure comes in the middle of the read.
            string text = string.Concat(Enumerable.Range(0, 200).Select(i => Records.Line("2026-11-20T10:00:00Z", "d" + i) + "\n"));
            var reporter = new CollectingReporter();
            var reader = new ConnectionLogReader(new ConnectionEventFilter(), reporter);

            var events = reader.ReadInput("/share/PT1H.json", () => Utf8Input.FromStream(new FailingStream(Utf8(text), new IOException("The network path was not found."))), null, CancellationToken.None).ToList();

            Assert.Equal(200, events.Count);
            var problem = Assert.Single(reporter.Problems);
            Assert.Equal(("LogFileUnreadable", ProblemKind.ReadError, 201L), (problem.ErrorId, problem.Kind, problem.Position!.Line));
            Assert.Contains("The network path was not found. The rest of the file was not read.", problem.Message);
        }

        [Fact]
        public void ADefectWhileReadingAFile_IsThatFilesProblem_AndTheReadGoesOn()
        {
            var reporter = new CollectingReporter();
            var reader = new ConnectionLogReader(new ConnectionEventFilter(), reporter);

            var events = reader.Guard("/logs/a.json", Failing()).ToList();

            Assert.Single(events);
            var problem = Assert.Single(reporter.Problems);
            Assert.Equal(("LogReadFailed", (object?)"/logs/a.json"), (problem.ErrorId, problem.Target));
            Assert.Contains("NullReferenceException: boom", problem.Message);
            Assert.Contains("The other files are read.", problem.Message);

            static IEnumerable<IoTHubConnectionEvent> Failing()
            {
                yield return new IoTHubConnectionEvent();
                throw new NullReferenceException("boom");
            }
        }

        [Theory]
        [InlineData(1)]
        [InlineData(3)]
        public void AFailureOnAReaderThread_IsATroubleshootExceptionNamingTheFile_NeverAnAggregateException(int workers)
        {
            using var dir = new TempFolder();
            var files = Enumerable.Range(0, 3).Select(i => dir.Write($"f{i}.json", Records.Line("2026-11-20T10:00:00Z", "d" + i) + "\n")).ToList();
            var reader = new ConnectionLogReader(new ConnectionEventFilter(), new CollectingReporter(), lean: true);

            var failure = Record.Exception(() => reader.ConsumeFilesInParallel(files, workers, _ => e => throw new InvalidOperationException("the analysis broke"), CancellationToken.None));

            var known = Assert.IsType<TroubleshootException>(failure);
            Assert.Equal(("LogReadFailed", ProblemKind.InvalidOperation), (known.ErrorId, known.Kind));
            Assert.Contains(files, f => Equals(known.Target, f));
            Assert.Contains("InvalidOperationException: the analysis broke", known.Message);
            Assert.Contains("please report it", known.Message);
            Assert.IsType<InvalidOperationException>(known.InnerException);
        }
    }
}
