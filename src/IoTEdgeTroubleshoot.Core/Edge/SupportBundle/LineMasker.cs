using System.Text.RegularExpressions;
using IoTEdgeTroubleshoot.Platform;

namespace IoTEdgeTroubleshoot.Edge.SupportBundle
{
    /// <summary>
    /// <see cref="SecretMasker"/> for text read one line at a time (a module's log streamed into the bundle):
    /// a PEM private key spans lines, so the lines between its BEGIN and END lines are hidden too, which a
    /// per-line mask alone would let through.
    /// </summary>
    internal sealed class LineMasker
    {
        private static readonly Regex Begin = new Regex(@"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----", RegexOptions.CultureInvariant);
        private static readonly Regex End = new Regex(@"-----END [A-Z0-9 ]*PRIVATE KEY-----", RegexOptions.CultureInvariant);

        private bool _inPrivateKey;

        public string Mask(string line)
        {
            if (_inPrivateKey)
            {
                var end = End.Match(line);
                if (!end.Success) return line.Trim().Length == 0 ? line : SecretMasker.Masked;
                _inPrivateKey = false;
                string rest = line.Substring(end.Index);
                return (end.Index > 0 ? SecretMasker.Masked : string.Empty) + (SecretMasker.MayHoldSecret(rest) ? SecretMasker.Mask(rest) : rest);
            }

            var begin = Begin.Match(line);
            if (begin.Success && !End.IsMatch(line, begin.Index)) _inPrivateKey = true;
            return SecretMasker.MayHoldSecret(line) ? SecretMasker.Mask(line) : line;
        }
    }
}
