using System.Globalization;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Edge.Config
{
    /// <summary>
    /// Values that were never filled in, or that a copy and paste damaged: the template's placeholders and
    /// examples, typographic quotes and dashes that word processors and chat apps substitute, invisible
    /// characters web pages carry, spaces at the ends. The daemons see only "wrong value"; people fix these
    /// faster when told what happened.
    /// </summary>
    public static class PastedValue
    {
        private static readonly Regex Placeholder = new Regex(@"<[^<>]*>", RegexOptions.CultureInvariant);

        // Values the 1.2+ template writes as examples (commented out); uncommenting a block without editing it leaves them.
        private static readonly string[] TemplateExamples =
        {
            "example.azure-devices.net",
            "YXppb3QtaWRlbnRpdHktc2VydmljZXxhemlvdC1pZGU",
            "0ab1234C5D6",
            "pkcs11:slot-id=0;object=device%20id?pin-value=1234",
        };

        /// <summary>What went wrong with the value, in words; null when it shows none of these.</summary>
        public static string? Problem(string? value)
        {
            if (string.IsNullOrEmpty(value)) return null;
            var placeholder = Placeholder.Match(value);
            if (placeholder.Success) return $"it holds the template's placeholder '{placeholder.Value}', not a real value.";
            foreach (var example in TemplateExamples)
            {
                if (value!.IndexOf(example, System.StringComparison.Ordinal) >= 0) return $"it holds the template's example value '{example}', not a real value.";
            }

            foreach (char c in value!)
            {
                string? what = Describe(c);
                if (what != null) return $"it contains {what} (U+{((int)c).ToString("X4", CultureInfo.InvariantCulture)}), which copying from a document, web page or chat puts in; retype that character.";
            }

            if (value.Trim() != value) return "it starts or ends with a space or line break (copied with it); remove it.";
            return null;
        }

        private static string? Describe(char c) => c switch
        {
            '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u2033' or '\u00AB' or '\u00BB' => $"the typographic quote {c} where a straight quote \" belongs",
            '\u2018' or '\u2019' or '\u201A' or '\u201B' or '\u2032' => $"the typographic quote {c} where a straight quote ' belongs",
            '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' => $"the typographic dash {c} where a hyphen - belongs",
            '\u2026' => "an ellipsis …, the mark of a value shortened for display",
            '\u00A0' or '\u202F' => "a no-break space",
            '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' => "an invisible zero-width character",
            _ => null,
        };
    }
}
