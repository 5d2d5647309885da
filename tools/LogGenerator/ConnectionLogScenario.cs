using System;
using System.Collections.Generic;
using System.Linq;

namespace IoTEdgeTroubleshoot.LogGenerator
{
    /// <summary>One Connections log record as the generator plans it.</summary>
    public sealed class GeneratedRecord
    {
        public DateTimeOffset Time { get; set; }

        public string DeviceId { get; set; } = "";

        public string Operation { get; set; } = "deviceConnect";

        public string Level { get; set; } = "Information";

        public string? ResultType { get; set; }

        public string? ResultDescription { get; set; }

        public string Protocol { get; set; } = "Mqtt";

        public string AuthType { get; set; } = "sas";

        public string SdkVersion { get; set; } = "";

        public string MaskedIp { get; set; } = "";

        public string? StatusCode { get; set; }

        public string? ErrorMessage { get; set; }
    }

    /// <summary>What the generator planted, so that a diagnosis can be scored against it.</summary>
    public sealed class PlantedPattern
    {
        public string Pattern { get; set; } = "";

        public string DeviceId { get; set; } = "";

        public double? PeriodMinutes { get; set; }

        public DateTimeOffset? WindowStart { get; set; }

        public DateTimeOffset? WindowEnd { get; set; }

        public int? DeviceCount { get; set; }
    }

    public sealed class GeneratedLog
    {
        public List<GeneratedRecord> Records { get; } = new List<GeneratedRecord>();

        public List<PlantedPattern> Planted { get; } = new List<PlantedPattern>();
    }

    /// <summary>
    /// Plans a realistic day (or more) of a hub: steady devices, devices whose MQTT SAS renewal
    /// disconnects them on the SDK's period, devices on flaky networks, one hub-wide incident,
    /// two clients sharing an identity, a device that never came back, a device with a revoked
    /// key, a deleted device that still tries, and a code this module does not know.
    /// Everything comes from one seeded Random: the same options give the same bytes.
    /// </summary>
    public static class ConnectionLogScenario
    {
        private sealed class SdkProfile
        {
            public SdkProfile(string name, string version, double renewalMinutes, double jitterMinutes)
            {
                Name = name;
                Version = version;
                RenewalMinutes = renewalMinutes;
                JitterMinutes = jitterMinutes;
            }

            public string Name { get; }

            public string Version { get; }

            public double RenewalMinutes { get; }

            public double JitterMinutes { get; }
        }

        // The SAS renewal periods that disconnect MQTT clients (DESIGN.md section 5).
        private static readonly SdkProfile[] Sdks =
        {
            new SdkProfile("c", "iothubclient/1.11.0 (native; Linux; x86_64)", 48, 0.4),
            new SdkProfile("net", "Microsoft.Azure.Devices.Client/1.42.3 (.NET 6.0.25; Linux; X64)", 65, 1.2),
            new SdkProfile("node", "azure-iot-device/1.18.3 (node v18.19.0; Linux 5.15; x64)", 45, 0.5),
            new SdkProfile("python", "azure-iot-device-iothub-py/2.12.0", 58, 0.6),
            new SdkProfile("java", "com.microsoft.azure.sdk.iot.iot-device-client/1.34.3", 64, 1.0),
        };

        public static GeneratedLog Generate(GeneratorOptions options)
        {
            var random = new Random(options.Seed);
            var log = new GeneratedLog();
            int n = Math.Max(options.Devices, 40);

            // Roles by share of the fleet; the rest are steady.
            int periodic = Math.Max(8, n * 6 / 100);
            int flaky = Math.Max(6, n * 8 / 100);
            int duplicate = Math.Max(1, n / 100);
            int never = Math.Max(1, n / 100);
            int revoked = Math.Max(1, n / 150);
            int deleted = Math.Max(1, n / 150);
            int steady = n - periodic - flaky - duplicate - never - revoked - deleted;

            var steadyIds = new List<string>();
            var periodicIds = new List<string>();
            int index = 0;
            string NextId(string role) => $"{role}-{++index:D4}";

            for (int i = 0; i < periodic; i++)
            {
                // The first periodic device is the guide's example: the .NET SDK, every ~65 minutes.
                var sdk = i == 0 ? Sdks[1] : Sdks[random.Next(Sdks.Length)];
                string id = i == 0 ? "sensor-sas-065" : NextId("meter-" + sdk.Name);
                periodicIds.Add(id);
                PlanPeriodic(log, options, random, id, sdk);
            }

            for (int i = 0; i < flaky; i++) PlanFlaky(log, options, random, NextId("truck"));
            for (int i = 0; i < steady; i++)
            {
                string id = NextId("sensor");
                steadyIds.Add(id);
                PlanSteady(log, options, random, id);
            }

            for (int i = 0; i < duplicate; i++) PlanDuplicateIdentity(log, options, random, NextId("gateway"));
            for (int i = 0; i < never; i++) PlanNeverReconnected(log, options, random, NextId("kiosk"));
            for (int i = 0; i < revoked; i++) PlanRevokedKey(log, options, random, NextId("camera"));
            for (int i = 0; i < deleted; i++) PlanDeletedDevice(log, options, random, NextId("retired"));

            // A hub-wide incident every 24 hours, hitting a fifth of the steady devices and some periodic ones.
            for (var day = options.Start.AddHours(14); day < options.End; day = day.AddHours(24))
            {
                var victims = steadyIds.Where(_ => random.NextDouble() < 0.2)
                    .Concat(periodicIds.Where(_ => random.NextDouble() < 0.25))
                    .ToList();
                PlanHubWide(log, options, random, day.AddMinutes(random.Next(0, 300)), victims);
            }

            // A code the catalog does not know, on a steady device.
            var odd = steadyIds[steadyIds.Count / 2];
            for (int i = 0; i < 3; i++)
            {
                log.Records.Add(Error(options.Start.AddHours(3 + 5 * i).AddMinutes(random.Next(60)), odd, "deviceConnect", "401002", "IotHubUnauthorizedAccess", "401",
                    "The device is not authorized to access this resource.", Sdks[1], random));
            }

            log.Records.Sort((a, b) => a.Time.CompareTo(b.Time));
            log.Records.RemoveAll(r => r.Time >= options.End || r.Time < options.Start);
            if (options.DistinctAddresses)
            {
                // A Random of its own, so the planned records (and the default output) stay the same.
                var networks = new Random(options.Seed + 1);
                foreach (var record in log.Records) record.MaskedIp = $"{networks.Next(1, 224)}.{networks.Next(256)}.{networks.Next(256)}.XXX";
            }

            return log;
        }

        private static void PlanSteady(GeneratedLog log, GeneratorOptions o, Random random, string id)
        {
            var sdk = Sdks[random.Next(Sdks.Length)];
            string protocol = random.NextDouble() < 0.5 ? "Amqp" : "Mqtt";
            log.Records.Add(Connect(o.Start.AddSeconds(random.Next(60, 3600)), id, protocol, sdk, random));

            // A nightly maintenance reboot: a clean disconnect and a connect a minute later, no error.
            for (var day = o.Start; day < o.End; day = day.AddHours(24))
            {
                var at = day.AddHours(2).AddMinutes(random.Next(0, 120)).AddSeconds(random.Next(60));
                log.Records.Add(new GeneratedRecord
                {
                    Time = at, DeviceId = id, Operation = "deviceDisconnect", Protocol = protocol, SdkVersion = sdk.Version, MaskedIp = Ip(random),
                });
                log.Records.Add(Connect(at.AddSeconds(random.Next(45, 90)), id, protocol, sdk, random));
            }
        }

        private static void PlanPeriodic(GeneratedLog log, GeneratorOptions o, Random random, string id, SdkProfile sdk)
        {
            log.Planted.Add(new PlantedPattern { Pattern = "Periodic", DeviceId = id, PeriodMinutes = sdk.RenewalMinutes });
            var t = o.Start.AddMinutes(random.NextDouble() * sdk.RenewalMinutes);
            log.Records.Add(Connect(t, id, "Mqtt", sdk, random));

            // No extra draw when the share is 0, so the default options keep giving the same bytes.
            bool refusedConnect = o.RefusedRenewalShare > 0 && random.NextDouble() < o.RefusedRenewalShare;
            while (true)
            {
                t = t.AddMinutes(sdk.RenewalMinutes + (random.NextDouble() * 2 - 1) * sdk.JitterMinutes);
                if (t >= o.End) break;
                if (random.NextDouble() < 0.6)
                {
                    log.Records.Add(Error(t.AddSeconds(-1), id, refusedConnect ? "deviceConnect" : "deviceDisconnect", "401003", "IoTHubUnauthorized", "401",
                        "The SAS token has expired.", sdk, random));
                }

                log.Records.Add(Error(t, id, "deviceDisconnect", "404104", "DeviceConnectionClosedRemotely", "404",
                    "The connection was closed by the device.", sdk, random));
                log.Records.Add(Connect(t.AddSeconds(2 + random.Next(45)), id, "Mqtt", sdk, random));
            }
        }

        private static void PlanFlaky(GeneratedLog log, GeneratorOptions o, Random random, string id)
        {
            int planted = log.Planted.Count;
            log.Planted.Add(new PlantedPattern { Pattern = "Random", DeviceId = id });
            var sdk = Sdks[random.Next(Sdks.Length)];
            var t = o.Start.AddMinutes(random.Next(1, 30));
            log.Records.Add(Connect(t, id, "Mqtt", sdk, random));
            int drops = 0;
            while (true)
            {
                // Exponential gaps (mean 2.5 h, at least 10 min): no period to find.
                t = t.AddMinutes(10 + -Math.Log(1 - random.NextDouble()) * 140);
                if (t >= o.End) break;
                log.Records.Add(Error(t, id, "deviceDisconnect", "404104", "DeviceConnectionClosedRemotely", "404",
                    "The connection was closed by the device.", sdk, random));
                drops++;
                t = t.AddSeconds(30 + Math.Exp(random.NextDouble() * 7)); // 30 s to ~20 min offline
                log.Records.Add(Connect(t, id, "Mqtt", sdk, random));
            }

            // Random disconnects are three drops or more (the guide's pattern; DiagnosisThresholds.MinimumDrops): on a
            // short window some flaky devices drop once or twice, which is no pattern to find, so none is planted.
            if (drops < MinimumDrops) log.Planted.RemoveAt(planted);
        }

        private const int MinimumDrops = 3;

        private static void PlanDuplicateIdentity(GeneratedLog log, GeneratorOptions o, Random random, string id)
        {
            log.Planted.Add(new PlantedPattern { Pattern = "DuplicateIdentity", DeviceId = id });
            var sdk = Sdks[random.Next(Sdks.Length)];
            string ipA = Ip(random), ipB = Ip(random);
            var t = o.Start.AddMinutes(random.Next(5, 40));
            bool a = true;
            while (t < o.End)
            {
                // Two clients with one identity take the connection from each other.
                var connect = Connect(t, id, "Mqtt", sdk, random);
                connect.MaskedIp = a ? ipA : ipB;
                log.Records.Add(connect);
                var kicked = Error(t.AddMilliseconds(300), id, "deviceDisconnect", random.NextDouble() < 0.8 ? "409002" : "400027",
                    "", "409", "A new connection for the same device closed this one.", sdk, random);
                kicked.ResultDescription = kicked.ResultType == "409002" ? "LinkCreationConflict" : "ConnectionForcefullyClosedOnNewConnection";
                kicked.MaskedIp = a ? ipB : ipA;
                log.Records.Add(kicked);
                a = !a;
                t = t.AddMinutes(5 + random.Next(20));
            }
        }

        private static void PlanNeverReconnected(GeneratedLog log, GeneratorOptions o, Random random, string id)
        {
            var sdk = Sdks[random.Next(Sdks.Length)];
            log.Records.Add(Connect(o.Start.AddMinutes(random.Next(1, 60)), id, "Mqtt", sdk, random));
            var lost = o.Start.AddMinutes(o.Hours * 60 * (0.5 + random.NextDouble() * 0.3));
            log.Records.Add(Error(lost, id, "deviceDisconnect", "404104", "DeviceConnectionClosedRemotely", "404",
                "The connection was closed by the device.", sdk, random));
            log.Planted.Add(new PlantedPattern { Pattern = "NeverReconnected", DeviceId = id, WindowStart = lost });
        }

        private static void PlanRevokedKey(GeneratedLog log, GeneratorOptions o, Random random, string id)
        {
            var sdk = Sdks[random.Next(Sdks.Length)];
            var from = o.Start.AddHours(o.Hours * 0.25);
            log.Planted.Add(new PlantedPattern { Pattern = "AuthenticationFailure", DeviceId = id, WindowStart = from });
            for (var t = from; t < o.End; t = t.AddMinutes(4 + random.Next(3)))
            {
                log.Records.Add(Error(t, id, "deviceConnect", "401003", "IoTHubUnauthorized", "401",
                    "The SAS token signature does not match: was the device key rotated?", sdk, random));
            }
        }

        private static void PlanDeletedDevice(GeneratedLog log, GeneratorOptions o, Random random, string id)
        {
            var sdk = Sdks[random.Next(Sdks.Length)];
            log.Planted.Add(new PlantedPattern { Pattern = "DeviceNotFound", DeviceId = id });
            for (var t = o.Start.AddMinutes(random.Next(10)); t < o.End; t = t.AddMinutes(10))
            {
                log.Records.Add(Error(t, id, "deviceConnect", "404001", "DeviceNotFound", "404",
                    "The device is not registered in this hub.", sdk, random));
            }
        }

        private static void PlanHubWide(GeneratedLog log, GeneratorOptions o, Random random, DateTimeOffset at, List<string> victims)
        {
            log.Planted.Add(new PlantedPattern { Pattern = "HubWide", WindowStart = at, WindowEnd = at.AddMinutes(3), DeviceCount = victims.Count });
            foreach (var id in victims)
            {
                var sdk = Sdks[random.Next(Sdks.Length)];
                var drop = at.AddSeconds(random.Next(180));
                log.Records.Add(Error(drop, id, "deviceDisconnect", "404104", "DeviceConnectionClosedRemotely", "404",
                    "The connection was closed by the device.", sdk, random));
                var retry = drop.AddSeconds(5 + random.Next(40));
                double roll = random.NextDouble();
                if (roll < 0.3)
                {
                    log.Records.Add(Error(retry, id, "deviceConnect", "500001", "ServerError", "500", "Internal server error.", sdk, random));
                    retry = retry.AddSeconds(20 + random.Next(60));
                }
                else if (roll < 0.4)
                {
                    log.Records.Add(Error(retry, id, "deviceConnect", "500008", "GenericTimeout", "500", "The operation timed out.", sdk, random));
                    retry = retry.AddSeconds(20 + random.Next(60));
                }
                else if (roll < 0.5)
                {
                    log.Records.Add(Error(retry, id, "deviceDisconnect", "409002", "LinkCreationConflict", "409",
                        "A new connection for the same device closed this one.", sdk, random));
                }
                else if (roll < 0.55)
                {
                    log.Records.Add(Error(retry, id, "deviceConnect", "429001", "ThrottlingException", "429", "Too many requests.", sdk, random));
                    retry = retry.AddSeconds(30 + random.Next(60));
                }

                log.Records.Add(Connect(retry.AddSeconds(random.Next(120)), id, "Mqtt", sdk, random));
            }
        }

        private static GeneratedRecord Connect(DateTimeOffset t, string id, string protocol, SdkProfile sdk, Random random) => new GeneratedRecord
        {
            Time = t, DeviceId = id, Operation = "deviceConnect", Protocol = protocol, SdkVersion = sdk.Version, MaskedIp = Ip(random),
        };

        private static GeneratedRecord Error(DateTimeOffset t, string id, string operation, string code, string description, string status, string message, SdkProfile sdk, Random random) => new GeneratedRecord
        {
            Time = t,
            DeviceId = id,
            Operation = operation,
            Level = "Error",
            ResultType = code,
            ResultDescription = description,
            StatusCode = status,
            ErrorMessage = message,
            SdkVersion = sdk.Version,
            MaskedIp = Ip(random),
        };

        private static string Ip(Random random) => $"{(random.Next(2) == 0 ? "203.0.113" : "198.51.100")}.XXX";
    }
}
