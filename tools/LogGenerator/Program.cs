using System;
using System.Globalization;
using System.IO;

namespace IoTEdgeTroubleshoot.LogGenerator
{
    /// <summary>
    /// dotnet run --project tools/LogGenerator -- [--out DIR] [--start 2026-11-20] [--hours 24]
    ///     [--devices 150] [--seed 42] [--forms storage,eventhub,csv,metric]
    /// Writes a deterministic IoT Hub Connections log with planted disconnect patterns, and
    /// planted-patterns.json naming which device got which pattern.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            var options = new GeneratorOptions();
            string outDir = "samples";
            string forms = "storage,eventhub,csv,metric";
            for (int i = 0; i < args.Length; i++)
            {
                string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
                switch (args[i])
                {
                    case "--out": outDir = Next(); break;
                    case "--start": options.Start = DateTimeOffset.Parse(Next(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal); break;
                    case "--hours": options.Hours = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--devices": options.Devices = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--seed": options.Seed = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--refused-renewals": options.RefusedRenewalShare = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                    case "--distinct-addresses": options.DistinctAddresses = true; break;
                    case "--forms": forms = Next(); break;
                    case "-h":
                    case "--help":
                        Console.WriteLine("LogGenerator [--out DIR] [--start yyyy-MM-dd] [--hours N] [--devices N] [--seed N] [--refused-renewals 0..1] [--distinct-addresses] [--forms storage,eventhub,csv,metric]");
                        return 0;
                    default:
                        Console.Error.WriteLine($"Unknown option '{args[i]}'. Try --help.");
                        return 2;
                }
            }

            var log = ConnectionLogScenario.Generate(options);
            var writer = new ConnectionLogWriter(log, options);
            Directory.CreateDirectory(outDir);
            foreach (var form in forms.Split(','))
            {
                switch (form.Trim())
                {
                    case "storage":
                        writer.WriteStorageTree(Path.Combine(outDir, "connections"));
                        break;
                    case "eventhub":
                        writer.WriteEventHubRecords(Path.Combine(outDir, "exports", "eventhub-records.json"));
                        break;
                    case "csv":
                        writer.WriteLogAnalyticsCsv(Path.Combine(outDir, "exports", "loganalytics-connection-errors.csv"));
                        break;
                    case "metric":
                        writer.WriteConnectedDeviceMetric(Path.Combine(outDir, "exports", "connected-devices.csv"));
                        break;
                    default:
                        Console.Error.WriteLine($"Unknown form '{form}'.");
                        return 2;
                }
            }

            writer.WritePlantedPatterns(Path.Combine(outDir, "planted-patterns.json"));
            Console.WriteLine($"{log.Records.Count} records for {options.Devices} devices over {options.Hours} h written under '{outDir}'.");
            return 0;
        }
    }
}
