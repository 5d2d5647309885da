using IoTEdgeTroubleshoot.Edge.Logs;
using IoTEdgeTroubleshoot.Platform;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Platform
{
    public sealed class TerminalSafeTextTests
    {
        [Theory]
        [InlineData("plain text, tab\tand\nline break", "plain text, tab\tand\nline break")]
        [InlineData("\u001b[31mred\u001b[0m and \u001b[1;4mbold\u001b[m", "red and bold")]
        [InlineData("clear \u001b[2J\u001b[H screen", "clear  screen")]
        [InlineData("title \u001b]0;owned\u0007 set", "title  set")]
        [InlineData("link \u001b]8;;https://evil.example\u001b\\text\u001b]8;;\u001b\\ end", "link text end")]
        [InlineData("back\bspace, bell\u0007, carriage\rreturn", "back\uFFFDspace, bell\uFFFD, carriage\uFFFDreturn")]
        [InlineData("c1 csi \u009b31m and del \u007f", "c1 csi \uFFFD31m and del \uFFFD")]
        [InlineData("a lone escape \u001b at the end \u001b", "a lone escape \uFFFD at the end \uFFFD")]
        [InlineData("unfinished \u001b[12", "unfinished ")]
        public void Device_text_cannot_drive_the_terminal(string text, string expected)
        {
            Assert.Equal(expected, TerminalSafeText.Of(text));
        }

        [Fact]
        public void Text_without_controls_is_the_same_string()
        {
            string text = "Edge Hub started, 12 modules";
            Assert.Same(text, TerminalSafeText.Of(text));
        }

        [Fact]
        public void Module_log_entries_reach_the_pipeline_without_escape_sequences()
        {
            var entries = new System.Collections.Generic.List<IoTEdgeLogEntry>();
            var assembler = new LogEntryAssembler(new LogLineParser(new System.DateTime(2026, 11, 20)), "edgeHub", null, entries.Add, (_, _, _) => { });
            assembler.AddLine("<6> 2026-11-20 10:00:00.000 +00:00 [INF] - \u001b[2J\u001b]0;pwned\u0007Started\rFAKE line", 1);
            assembler.Complete();

            var entry = Assert.Single(entries);
            Assert.Equal("Started\uFFFDFAKE line", entry.Message);
            Assert.DoesNotContain(entry.Message, c => c == '\u001b');
        }
    }
}
