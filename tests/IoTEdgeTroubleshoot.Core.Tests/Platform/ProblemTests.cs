using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Platform
{
    public class ProblemTests
    {
        [Fact]
        public void A_problem_at_a_place_in_a_file_leads_its_message_with_path_line_and_column()
        {
            var problem = new Problem(ErrorIds.MalformedLogRecord, ProblemKind.InvalidData, "/logs/PT1H.json", "The record is not JSON.",
                position: new FilePosition("/logs/PT1H.json", 12, 7));

            Assert.Equal("/logs/PT1H.json:12:7: The record is not JSON.", problem.Message);
            var exception = Assert.IsType<TroubleshootException>(problem.ToException());
            Assert.Equal(problem.Message, exception.Message);
            Assert.Equal(12, exception.Position!.Line);
            Assert.Equal(ErrorIds.MalformedLogRecord, exception.ErrorId);
        }

        [Fact]
        public void A_problem_with_a_cause_keeps_the_cause_as_its_exception()
        {
            var cause = new UnauthorizedAccessException("denied");
            var problem = new Problem(ErrorIds.LogFileUnreadable, ProblemKind.PermissionDenied, "/x", "Cannot read it.", cause);

            Assert.Same(cause, problem.ToException());
            Assert.Equal("Cannot read it.", problem.Message);
        }

        [Fact]
        public void Error_ids_are_unique_and_each_is_its_own_name()
        {
            Assert.Equal(ErrorIds.All.Count, ErrorIds.All.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.Contains(ErrorIds.PathNotFound, ErrorIds.All);
            Assert.All(ErrorIds.All, id => Assert.Matches("^[A-Z][A-Za-z0-9]+$", id));
        }

        [Fact]
        public void No_source_file_spells_an_error_id_as_a_literal()
        {
            // Every Problem, TroubleshootException and ErrorRecord takes its id from ErrorIds, so the list is complete.
            string src = Path.Combine(TestPaths.RepositoryRoot, "src");
            var literal = new Regex(@"new (Problem|TroubleshootException|ErrorRecord)\([^;]*?""[A-Z][A-Za-z]+""\s*,\s*(ProblemKind|ErrorCategory)\.", RegexOptions.Singleline);
            var offenders = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
                .Where(file => !file.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar))
                .Where(file => literal.IsMatch(File.ReadAllText(file)))
                .ToList();
            Assert.Empty(offenders);
        }
    }
}
