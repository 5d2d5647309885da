using System.IO;
using IoTEdgeTroubleshoot.Loading;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Loading
{
    public class DependencyResolutionPolicyTests
    {
        private static readonly string Root = Path.Combine(Path.GetTempPath(), "Modules", "IoTEdgeTroubleshoot", "0.1.0");
        private static readonly string Dependencies = Path.Combine(Root, "dependencies");
        private static readonly DependencyResolutionPolicy Policy =
            new DependencyResolutionPolicy(Root, new[] { "YamlDotNet", "System.Text.Json", "System.Memory" });

        [Theory]
        [InlineData("IoTEdgeTroubleshoot.Core.dll")] // Core asks for YamlDotNet
        [InlineData("IoTEdgeTroubleshoot.dll")]
        public void Serves_a_shipped_assembly_to_the_module_own_assemblies(string requester)
        {
            string? path = Policy.PathFor("YamlDotNet, Version=16.0.0.0, Culture=neutral, PublicKeyToken=ec19458f3c15af5e", Path.Combine(Root, requester));

            Assert.Equal(Path.Combine(Dependencies, "YamlDotNet.dll"), path);
        }

        [Fact]
        public void Serves_a_dependency_of_a_dependency_in_any_version()
        {
            // System.Text.Json (ours) asks for System.Memory 4.0.1.2: a binding redirect would send it to what we ship.
            string? path = Policy.PathFor("System.Memory, Version=4.0.1.2, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", Path.Combine(Dependencies, "System.Text.Json.dll"));

            Assert.Equal(Path.Combine(Dependencies, "System.Memory.dll"), path);
        }

        [Fact]
        public void Never_hands_its_copies_to_another_module()
        {
            string other = Path.Combine(Path.GetTempPath(), "Modules", "Az.Accounts", "2.0.0", "Microsoft.Azure.PowerShell.Authentication.dll");

            Assert.Null(Policy.PathFor("System.Text.Json, Version=8.0.0.0", other));
            // A folder whose name merely starts with ours is someone else's.
            Assert.Null(Policy.PathFor("System.Text.Json", Root + "-old" + Path.DirectorySeparatorChar + "Other.dll"));
            // A sub-folder below dependencies/ is not ours either.
            Assert.Null(Policy.PathFor("System.Text.Json", Path.Combine(Dependencies, "nested", "Other.dll")));
        }

        [Fact]
        public void Does_not_answer_when_the_runtime_does_not_say_who_asked()
        {
            Assert.Null(Policy.PathFor("YamlDotNet", null));
            Assert.Null(Policy.PathFor("YamlDotNet", string.Empty));
        }

        [Theory]
        [InlineData("Newtonsoft.Json, Version=13.0.0.0")] // not shipped
        [InlineData("IoTEdgeTroubleshoot.Core")] // ours, but at the root: the runtime finds it, not this handler
        [InlineData("YamlDotNet.resources, Version=16.0.0.0, Culture=de")] // satellite resources we do not ship
        [InlineData("")] // not an assembly name
        public void Does_not_answer_for_what_it_does_not_ship(string requested)
        {
            Assert.Null(Policy.PathFor(requested, Path.Combine(Root, "IoTEdgeTroubleshoot.Core.dll")));
        }

        [Fact]
        public void Reads_what_it_ships_from_the_dependencies_folder()
        {
            using var folder = new TempFolder();
            Directory.CreateDirectory(Path.Combine(folder.Path, "dependencies"));
            File.WriteAllText(Path.Combine(folder.Path, "dependencies", "YamlDotNet.dll"), string.Empty);
            File.WriteAllText(Path.Combine(folder.Path, "IoTEdgeTroubleshoot.Core.dll"), string.Empty);

            var policy = DependencyResolutionPolicy.ForModule(folder.Path);
            string requester = Path.Combine(folder.Path, "IoTEdgeTroubleshoot.Core.dll");

            Assert.Equal(Path.Combine(folder.Path, "dependencies", "YamlDotNet.dll"), policy.PathFor("yamldotnet", requester));
            Assert.Null(policy.PathFor("IoTEdgeTroubleshoot.Core", requester));
        }
    }
}
