using System;
using System.Linq;
using IoTEdgeTroubleshoot.Hub;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub
{
    public class ErrorCatalogTests
    {
        // The guide's five codes and those DESIGN.md section 5 adds.
        [Theory]
        [InlineData("404104", "DeviceConnectionClosedRemotely", true)]
        [InlineData("401003", "IoTHubUnauthorized", false)]
        [InlineData("409002", "LinkCreationConflict", true)]
        [InlineData("500001", "ServerError", true)]
        [InlineData("500008", "GenericTimeout", true)]
        [InlineData("400027", "ConnectionForcefullyClosedOnNewConnection", false)]
        [InlineData("403002", "IoTHubQuotaExceeded", false)]
        [InlineData("403004", "DeviceMaximumQueueDepthExceeded", false)]
        [InlineData("403006", "DeviceMaximumActiveFileUploadLimitExceeded", false)]
        [InlineData("404001", "DeviceNotFound", false)]
        [InlineData("404103", "DeviceNotOnline", true)]
        [InlineData("409001", "DeviceAlreadyExists", false)]
        [InlineData("412002", "DeviceMessageLockLost", false)]
        [InlineData("429001", "ThrottlingException", true)]
        [InlineData("429002", "ThrottlingMaxActiveJobCountExceeded", true)]
        [InlineData("429003", "ThrottlingBacklogTimeout", true)]
        [InlineData("503003", "PartitionNotFound", true)]
        [InlineData("504101", "GatewayTimeout", true)]
        public void EveryCodeIsKnown_WithCauseResolutionAndLink(string code, string name, bool transient)
        {
            Assert.True(ErrorCatalog.TryGet(code, out var info));
            Assert.Equal(name, info.Name);
            Assert.Equal(transient, info.IsTransient);
            Assert.True(info.IsKnown);
            Assert.True(info.RootCause.Length > 40, "a root cause worth reading");
            Assert.True(info.Resolution.Length > 40, "a resolution worth reading");
            Assert.StartsWith(ErrorCatalog.ErrorCodesPage + "#" + code + "-", info.HelpUri);
        }

        [Fact]
        public void CatalogHasNoDuplicateCodes()
        {
            Assert.Equal(ErrorCatalog.All.Count, ErrorCatalog.All.Select(e => e.ResultType).Distinct().Count());
            Assert.Equal(18, ErrorCatalog.All.Count);
        }

        [Fact]
        public void UnknownCode_UsesTheHubsDescription_NotAnError()
        {
            var info = ErrorCatalog.Lookup("401002", "IotHubUnauthorizedAccess");

            Assert.False(info.IsKnown);
            Assert.Equal("IotHubUnauthorizedAccess", info.Name);
            Assert.Contains("IotHubUnauthorizedAccess", info.RootCause);
            Assert.Null(info.IsTransient);
            Assert.Equal(ErrorCatalog.ErrorCodesPage, info.HelpUri);
        }

        [Fact]
        public void UnknownServerCode_IsTransientByFamily()
        {
            var info = ErrorCatalog.Lookup("500015", null);

            Assert.False(info.IsKnown);
            Assert.Equal("Unknown", info.Name);
            Assert.True(info.IsTransient);
        }
    }

    public class ErrorResolverTests
    {
        private static IoTHubConnectionEvent Event(string device, string code, int minute, string description = "") => new IoTHubConnectionEvent
        {
            DeviceId = device,
            ResultType = code,
            ResultDescription = description,
            Level = "Error",
            TimeGenerated = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero).AddMinutes(minute),
        };

        [Fact]
        public void GroupsByCode_MostFrequentFirst_WithDevicesAndTimes()
        {
            var resolver = new ErrorResolver();
            resolver.Add(Event("a", "404104", 5));
            resolver.Add(Event("a", "404104", 1));
            resolver.Add(Event("b", "404104", 9));
            resolver.Add(Event("c", "500001", 3));
            Assert.False(resolver.Add(new IoTHubConnectionEvent { DeviceId = "d", Level = "Information" }));

            var results = resolver.GetResolutions();

            Assert.Equal(new[] { "404104", "500001" }, results.Select(r => r.ResultType));
            var first = results[0];
            Assert.Equal(3, first.Count);
            Assert.Equal(2, first.DeviceCount);
            Assert.Equal(new[] { "a", "b" }, first.SampleDeviceIds);
            Assert.Equal(10, first.FirstSeen!.Value.Hour);
            Assert.Equal(1, first.FirstSeen!.Value.Minute);
            Assert.Equal(9, first.LastSeen!.Value.Minute);
            Assert.Equal("DeviceConnectionClosedRemotely", first.Name);
            Assert.True(first.IsTransient);
        }

        [Fact]
        public void LinkCreationConflict_NamesTheOtherErrorsOfTheSameDevices()
        {
            var resolver = new ErrorResolver();
            resolver.Add(Event("a", "409002", 1));
            resolver.Add(Event("a", "404104", 2));
            resolver.Add(Event("a", "404104", 3));
            resolver.Add(Event("b", "409002", 4));
            resolver.Add(Event("b", "500001", 5));
            resolver.Add(Event("c", "401003", 6)); // another device: not related

            var conflict = resolver.GetResolutions().Single(r => r.ResultType == "409002");

            Assert.Equal(new[] { "404104 (2)", "500001 (1)" }, conflict.RelatedResultTypes);
            Assert.StartsWith("The same devices also logged 404104 (2), 500001 (1)", conflict.Resolution);
        }

        [Fact]
        public void LinkCreationConflict_WithoutOtherErrorsOnItsDevices_SaysSo()
        {
            var resolver = new ErrorResolver();
            resolver.Add(Event("a", "409002", 1));
            resolver.Add(Event("b", "404104", 2));

            var conflict = resolver.GetResolutions().Single(r => r.ResultType == "409002");

            Assert.Empty(conflict.RelatedResultTypes);
            Assert.StartsWith("No other errors", conflict.Resolution);
        }

        [Fact]
        public void LinkCreationConflict_Alone_AsksForTheOtherErrors()
        {
            var resolver = new ErrorResolver();
            resolver.Add(Event("a", "409002", 1));

            var conflict = Assert.Single(resolver.GetResolutions());

            Assert.StartsWith("Only 409002 events were given", conflict.Resolution);
        }

        [Fact]
        public void UnknownCode_IsReportedWithTheHubsDescription()
        {
            var resolver = new ErrorResolver();
            resolver.Add(Event("a", "401002", 1, "IotHubUnauthorizedAccess"));

            var result = Assert.Single(resolver.GetResolutions());

            Assert.False(result.IsKnown);
            Assert.Equal("IotHubUnauthorizedAccess", result.Name);
            Assert.Equal(1, result.Count);
        }

        [Fact]
        public void Describe_GivesTheCatalogEntryWithoutCounts()
        {
            var result = ErrorResolver.Describe("500008");

            Assert.Equal("GenericTimeout", result.Name);
            Assert.Equal(0, result.Count);
            Assert.Null(result.FirstSeen);
        }
    }
}
