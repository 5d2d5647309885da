namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>Small text rules shared by the readers and the analysis.</summary>
    internal static class TextValues
    {
        /// <summary>Null for null or empty: optional fields of an event are null when the log leaves them empty.</summary>
        public static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
    }
}
