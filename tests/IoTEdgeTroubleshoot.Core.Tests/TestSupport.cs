using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Tests
{
    /// <summary>A real folder under the temp directory, removed afterwards.</summary>
    public sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "iet-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string Write(string relative, string text, Encoding? encoding = null)
        {
            string full = System.IO.Path.Combine(Path, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text, encoding ?? new UTF8Encoding(false));
            return full;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Keeps everything Core reports, for assertions.</summary>
    public sealed class CollectingReporter : IReporter
    {
        public List<string> Verbose { get; } = new List<string>();

        public List<string> Warnings { get; } = new List<string>();

        public List<ProgressReport> Progress { get; } = new List<ProgressReport>();

        public List<Problem> Problems { get; } = new List<Problem>();

        void IReporter.Verbose(string message) => Verbose.Add(message);

        void IReporter.Warning(string message) => Warnings.Add(message);

        void IReporter.Progress(ProgressReport progress) => Progress.Add(progress);

        void IReporter.Problem(Problem problem) => Problems.Add(problem);
    }

    /// <summary>Connections records as the hub writes them, for building test files.</summary>
    public static class Records
    {
        public const string HubId = "/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000001/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.DEVICES/IOTHUBS/MYHUB";

        public static string Line(string time, string device, string operation = "deviceDisconnect", string level = "Error",
            string? resultType = "404104", string? description = "DeviceConnectionClosedRemotely", string protocol = "Mqtt", string sdk = "iothubclient/1.11.0")
        {
            string result = resultType == null ? "" : $"\"resultType\":\"{resultType}\",\"resultDescription\":\"{description}\",";
            string properties = $"{{\\\"deviceId\\\":\\\"{device}\\\",\\\"protocol\\\":\\\"{protocol}\\\",\\\"authType\\\":\\\"{{\\\\\\\"scope\\\\\\\":\\\\\\\"device\\\\\\\",\\\\\\\"type\\\\\\\":\\\\\\\"sas\\\\\\\",\\\\\\\"issuer\\\\\\\":\\\\\\\"iothub\\\\\\\"}}\\\",\\\"maskedIpAddress\\\":\\\"203.0.113.XXX\\\",\\\"statusCode\\\":\\\"404\\\",\\\"errorMessage\\\":\\\"closed\\\",\\\"sdkVersion\\\":\\\"{sdk}\\\"}}";
            return $"{{\"time\":\"{time}\",\"resourceId\":\"{HubId}\",\"operationName\":\"{operation}\",\"category\":\"Connections\",\"level\":\"{level}\",{result}\"properties\":\"{properties}\",\"location\":\"westus\"}}";
        }
    }
}

namespace IoTEdgeTroubleshoot.Tests
{
    /// <summary>Where the repository is: the folder above the test binaries that holds the solution.</summary>
    public static class TestPaths
    {
        public static string RepositoryRoot { get; } = FindRoot();

        private static string FindRoot()
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(folder.FullName, "IoTEdgeTroubleshoot.slnx"))) return folder.FullName;
            }

            throw new InvalidOperationException("The tests run outside the repository: no IoTEdgeTroubleshoot.slnx above " + AppContext.BaseDirectory);
        }
    }
}
