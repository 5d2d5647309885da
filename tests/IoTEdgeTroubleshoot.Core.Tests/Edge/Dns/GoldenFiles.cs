using System;
using System.IO;

namespace IoTEdgeTroubleshoot.Tests.Edge.Dns
{
    /// <summary>
    /// Inputs and the exact bytes an edit must make of them (Edge/Golden). With IOTEDGE_GOLDEN_UPDATE=1 a test
    /// writes what it made into the source tree instead, to be read and committed by hand.
    /// </summary>
    internal static class GoldenFiles
    {
        public static string Source(string name) => Path.Combine(AppContext.BaseDirectory, "Edge", "Golden", name);

        public static string CopyTo(TempFolder folder, string name, string? as_ = null)
        {
            string target = Path.Combine(folder.Path, as_ ?? name);
            File.Copy(Source(name), target, overwrite: true);
            return target;
        }

        /// <summary>Asserts that <paramref name="actual"/> is byte for byte the golden file <paramref name="expectedName"/>.</summary>
        public static void AssertMatches(string expectedName, byte[] actual)
        {
            if (Environment.GetEnvironmentVariable("IOTEDGE_GOLDEN_UPDATE") == "1")
            {
                File.WriteAllBytes(Path.Combine(TestPaths.RepositoryRoot, "tests", "IoTEdgeTroubleshoot.Core.Tests", "Edge", "Golden", expectedName), actual);
                return;
            }

            byte[] expected = File.ReadAllBytes(Source(expectedName));
            Xunit.Assert.True(expected.AsSpan().SequenceEqual(actual),
                $"{expectedName} differs:{Environment.NewLine}expected:{Environment.NewLine}{System.Text.Encoding.UTF8.GetString(expected)}{Environment.NewLine}actual:{Environment.NewLine}{System.Text.Encoding.UTF8.GetString(actual)}");
        }
    }
}
