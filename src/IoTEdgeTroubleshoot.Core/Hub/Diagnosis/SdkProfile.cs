using System;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis
{
    /// <summary>
    /// What an Azure IoT device SDK does by default that shows in the hub's logs: how often it renews
    /// its SAS token over MQTT (each renewal closes and reopens the connection) and its keep-alive
    /// (the hub closes the connection with 404104 after 1.5 times it without traffic).
    /// </summary>
    internal sealed class SdkProfile
    {
        private static readonly SdkProfile[] Known =
        {
            new SdkProfile("C", new[] { "iothubclient/", "azure-iot-sdk-c" }, 48, 48, 240),
            new SdkProfile(".NET", new[] { "Microsoft.Azure.Devices.Client/", "azure-iot-device-csharp", ".NET/" }, 60, 70, 300),
            new SdkProfile("Java", new[] { "com.microsoft.azure.sdk.iot" }, 60, 70, 230),
            new SdkProfile("Python", new[] { "azure-iot-device-iothub-py", "azure-iot-device-py" }, 58, 58, 60),
            new SdkProfile("Node.js", new[] { "azure-iot-device/" }, 45, 45, 180),
        };

        private readonly string[] _prefixes;

        private SdkProfile(string name, string[] prefixes, double renewalMin, double renewalMax, int keepAliveSeconds)
        {
            Name = name;
            _prefixes = prefixes;
            RenewalMinMinutes = renewalMin;
            RenewalMaxMinutes = renewalMax;
            KeepAliveSeconds = keepAliveSeconds;
        }

        public string Name { get; }

        public double RenewalMinMinutes { get; }

        public double RenewalMaxMinutes { get; }

        public int KeepAliveSeconds { get; }

        public string RenewalText => RenewalMinMinutes == RenewalMaxMinutes
            ? $"about every {RenewalMinMinutes} min"
            : $"every {RenewalMinMinutes}-{RenewalMaxMinutes} min";

        public static SdkProfile? Of(string? sdkVersion)
        {
            if (string.IsNullOrEmpty(sdkVersion)) return null;
            foreach (var profile in Known)
            {
                foreach (var prefix in profile._prefixes)
                {
                    if (sdkVersion!.IndexOf(prefix, StringComparison.OrdinalIgnoreCase) >= 0) return profile;
                }
            }

            return null;
        }

        /// <summary>A period close to one that some SDK renews at.</summary>
        public static bool IsKnownRenewalPeriod(double minutes)
        {
            foreach (var profile in Known)
            {
                if (minutes >= profile.RenewalMinMinutes - 3 && minutes <= profile.RenewalMaxMinutes + 3) return true;
            }

            return false;
        }

        public bool Renews(double minutes) => minutes >= RenewalMinMinutes - 3 && minutes <= RenewalMaxMinutes + 3;
    }
}
