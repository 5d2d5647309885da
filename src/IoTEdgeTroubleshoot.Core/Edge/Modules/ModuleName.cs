namespace IoTEdgeTroubleshoot.Edge.Modules
{
    /// <summary>
    /// What a module name given to 'iotedge logs|restart &lt;name&gt;' may be. It goes as one argument (never through a
    /// shell), but iotedge still reads "-f" or "--help" as its own option, and no module name holds white space.
    /// </summary>
    public static class ModuleName
    {
        /// <summary>Why <paramref name="name"/> cannot be a module's name, or null when it can.</summary>
        public static string? WhyNot(string? name)
        {
            if (string.IsNullOrEmpty(name)) return "A module name is needed.";
            if (name![0] == '-') return $"'{name}' is not a module name: iotedge would read a name that starts with '-' as one of its options.";
            foreach (char c in name)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c)) return $"'{name}' is not a module name: module names hold no spaces or control characters. 'iotedge list' shows the names.";
            }

            return null;
        }
    }
}
