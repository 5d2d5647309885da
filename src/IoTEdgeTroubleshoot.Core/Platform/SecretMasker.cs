using System;
using System.Text;
using System.Text.RegularExpressions;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// Hides secrets in any text before it leaves the module: PEM private keys, SAS tokens, passwords
    /// in URIs (scheme://user:password@host), SharedAccessKey and AccountKey in connection strings,
    /// and the values of keys, passwords, secrets and tokens in YAML, JSON, TOML or key=value text.
    /// A value is hidden whole: quoted values to their closing quote, block scalars (key: |) to their
    /// last line, plain values to the end of the line, whatever spaces or '#' they hold. Line breaks
    /// are kept, so a masked file has the lines of the original (diffs are built on that). Everything
    /// Core returns or reports that can hold file content goes through <see cref="Mask"/>, and so does
    /// the message of every <see cref="Problem"/> and <see cref="TroubleshootException"/>.
    /// </summary>
    public static class SecretMasker
    {
        public const string Masked = "***";

        // How far back on its line the flow and quote context of a name is looked for: a line of a million names stays linear.
        private const int ContextLength = 512;

        private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled;

        // Everything between BEGIN and END, or to the end of the text when END is missing (a cut-off paste).
        private static readonly Regex PemPrivateKey = new Regex(
            @"(?<begin>-----BEGIN (?<kind>[A-Z0-9 ]*)PRIVATE KEY-----)(?<body>.*?)(?<end>-----END \k<kind>PRIVATE KEY-----|\z)",
            Options | RegexOptions.Singleline);

        // SharedAccessSignature sr=...&sig=...&se=...&skn=..., also URL-encoded: the whole token.
        private static readonly Regex SasToken = new Regex(
            @"(?<head>SharedAccessSignature(?:[ \t]+|%20|\+))(?=(?:sr|sig|se|skn|sv)(?:=|%3D))[^\s""'<>;,]+", Options);

        // scheme://user:password@host: the password up to the last '@' of the URI. Bounded lengths keep a long line linear.
        private static readonly Regex UriPassword = new Regex(
            @"(?<head>\b[A-Za-z][A-Za-z0-9+.\-]{0,31}://[^\s:/?#@""'<>]{0,256}:)(?<password>[^\s""'<>]{0,1024})@(?=[^\s""'<>@]{0,1024}(?:[\s""'<>]|\z))", Options);

        // Connection-string fields: to the next ';', a quote, or the end of the line.
        private static readonly Regex ConnectionStringSecret = new Regex(
            @"(?<![A-Za-z0-9_])(?<name>SharedAccessKey|AccountKey|SharedAccessSignature)(?<sep>[ \t]*=[ \t]*)(?<value>[^;""'\r\n]+)", Options);

        // A URL whose query holds a SAS signature (a blob container's SAS URL): the whole query, which also says
        // the permissions and expiry an attacker would want; scheme, host and path stay readable.
        private static readonly Regex SasUrlQuery = new Regex(
            @"(?<head>\bhttps?://[^\s?#""'<>]{1,2048}\?)(?=[^\s#""'<>]{0,4096}?(?<![A-Za-z0-9_])sig(?:=|%3D))[^\s#""'<>]+", Options);

        // A SAS signature in a URL's query: to the next '&'.
        private static readonly Regex SignatureParameter = new Regex(
            @"(?<![A-Za-z0-9_])(?<name>sig(?:=|%3D))(?<value>[^&;""'\s<>,]+)", Options);

        // A PKCS#11 URI's PIN (config.toml's pkcs11_base_slot, identity_pk = "pkcs11:...?pin-value=1234"): to the next attribute.
        private static readonly Regex Pkcs11Pin = new Regex(@"(?<name>[?;&]pin-value=)(?<value>[^&;""'\s<>]+)", Options);

        private static readonly Regex BearerToken = new Regex(@"(?<head>\bBearer[ \t]+)[A-Za-z0-9\-._~+/]+=*", Options);

        // A JSON Web Token (an Azure AD access token) wherever it stands: header.payload.signature, each base64url.
        private static readonly Regex JsonWebToken = new Regex(@"\beyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]*", Options);

        // The words that start an authorization value: the secret is the word after them.
        private static readonly Regex AuthScheme = new Regex(@"^(?:Basic|Bearer|Digest|Negotiate|NTLM|SharedAccessSignature)$", Options);

        // name: value, "name": "value", name = value, name=value, for names that say secret (the value is found by ScanValue).
        private static readonly Regex SecretName = new Regex(
            @"(?<![A-Za-z0-9_\-.])(?:\\?(?<open>[""']))?[A-Za-z0-9_\-.]*(?:key|pk|password|passwd|passphrase|secret|token|pwd|credentials?)(?<close>\\?[""'])?[ \t]*(?<sep>[:=])[ \t]*",
            Options);

        private static readonly Regex CredentialsName = new Regex(@"credentials?\W*[:=]", Options);

        // The members of a registry credential that are not secret (IoT Edge's registryCredentials: username, password, address).
        private static readonly Regex NeverSecret = new Regex(@"^(?:address|username|user|server)$", Options);

        // Names of values that never hold a space (keys and tokens: base64, hex, JWT), whatever their prefix.
        private static readonly Regex SpaceFreeName = new Regex(@"(?:key|pk|token)s?\W*[:=]", Options);

        private static readonly Regex BlockScalarHeader = new Regex(@"\G[|>][-+0-9]*[ \t]*(?:#[^\r\n]*)?(?=\r?\n|\z)", RegexOptions.CultureInvariant | RegexOptions.Compiled);

        // config.toml's pk = { uri = "file:///..." }: where the key is, not the key.
        private static readonly Regex FileUriTable = new Regex(@"^\{[ \t]*uri[ \t]*=[ \t]*""file:[^""]*""[ \t]*\}$", Options);

        // config.toml's [provisioning.attestation.symmetric_key] table with value = "...": the secret sits under a
        // plain "value" key, and only the table's name says it is a key. The table runs to the next [header].
        // (Header names are short: bounding them keeps a hostile line of a million '[' linear.)
        private static readonly Regex Table = new Regex(
            @"^[ \t]*\[(?<name>[^\]\r\n]{1,256})\][^\r\n]*(?:\r?\n(?![ \t]*\[)[^\r\n]*)*",
            Options | RegexOptions.Multiline);

        private static readonly Regex SecretWord = new Regex("key|pk|password|secret|token", Options);

        private static readonly Regex TableValue = new Regex(@"^(?<head>[ \t]*value[ \t]*=[ \t]*)(?<value>[^\r\n]+)", Options | RegexOptions.Multiline);

        // Words one of which every secret the rules above find is next to: text without any cannot need masking.
        private static readonly Regex MayHoldSecretPattern = new Regex(@"sharedaccess|accountkey|private key|sig(?:=|%3d)|pin-value|bearer|eyJ|key|pk|pass|secret|token|pwd|credential|@", Options);

        /// <summary>
        /// Whether <see cref="Mask"/> could change the text: one scan, for callers that mask many short texts
        /// (every log entry) and would otherwise run every rule on text that holds no secret.
        /// </summary>
        public static bool MayHoldSecret(string? text) => !string.IsNullOrEmpty(text) && MayHoldSecretPattern.IsMatch(text);

        // A name alone that says its value is secret (a JSON member's name, an environment variable's name).
        private static readonly Regex SecretNameAlone = new Regex(@"(?:key|pk|password|passwd|passphrase|secret|token|pwd|credentials?|connection_?string|sas)$", Options);

        /// <summary>Whether a name alone (a JSON member, an environment variable) says its value is secret: AccessKey, pk, db_password, ConnectionString.</summary>
        public static bool NamesSecret(string? name) => !string.IsNullOrEmpty(name) && SecretNameAlone.IsMatch(name);

        public static string Mask(string? text)
        {
            if (string.IsNullOrEmpty(text)) return text ?? string.Empty;
            string masked = PemPrivateKey.Replace(text, m => m.Groups["begin"].Value + MaskKeepingLines(m.Groups["body"].Value) + m.Groups["end"].Value);
            masked = SasToken.Replace(masked, m => m.Groups["head"].Value + Masked);
            masked = UriPassword.Replace(masked, m => m.Groups["head"].Value + Masked + "@");
            masked = ConnectionStringSecret.Replace(masked, m => m.Groups["name"].Value + m.Groups["sep"].Value + Masked);
            masked = SasUrlQuery.Replace(masked, m => m.Groups["head"].Value + Masked);
            masked = SignatureParameter.Replace(masked, m => m.Groups["name"].Value + Masked);
            masked = Pkcs11Pin.Replace(masked, m => m.Groups["name"].Value + Masked);
            masked = JsonWebToken.Replace(masked, Masked);
            masked = BearerToken.Replace(masked, m => m.Groups["head"].Value + Masked); // before the names: "token: Bearer x" is not one word
            masked = MaskNamedValues(masked);
            masked = Table.Replace(masked, table => !SecretWord.IsMatch(table.Groups["name"].Value) ? table.Value : TableValue.Replace(table.Value,
                m => IsHarmless(m.Groups["value"].Value.Trim().Trim('"', '\'')) ? m.Value : m.Groups["head"].Value + Masked));
            return masked;
        }

        private static string MaskNamedValues(string text)
        {
            StringBuilder? result = null;
            int copied = 0;
            for (var name = SecretName.Match(text); name.Success; name = SecretName.Match(text, Math.Max(name.Index + name.Length, copied)))
            {
                var (start, end) = ScanValue(text, name, name.Index + name.Length);
                if (end <= start || IsHarmless(text.Substring(start, end - start))) continue;
                string value = text.Substring(start, end - start);
                result ??= new StringBuilder(text.Length);
                result.Append(text, copied, start - copied).Append(IsCredentialsTable(name, value) ? MaskMembers(value) : MaskKeepingLines(value));
                copied = end;
            }

            return result == null ? text : result.Append(text, copied, text.Length - copied).ToString();
        }

        /// <summary>Where the value after a secret's name is: inside its quotes, the lines of a block scalar, or the rest of a plain value.</summary>
        private static (int Start, int End) ScanValue(string text, Match name, int at)
        {
            if (at >= text.Length) return (at, at);
            if (text[at] == '\\' && at + 1 < text.Length && text[at + 1] == '"')
            {
                // A JSON string inside a JSON string: \"value\"
                int close = text.IndexOf("\\\"", at + 2, StringComparison.Ordinal);
                return (at + 2, close < 0 ? LineEnd(text, at) : close);
            }

            if (text[at] == '"' || text[at] == '\'')
            {
                char quote = text[at];
                int i = at + 1;
                for (; i < text.Length; i++)
                {
                    if (quote == '"' && text[i] == '\\') i++;
                    else if (text[i] == quote)
                    {
                        if (quote == '\'' && i + 1 < text.Length && text[i + 1] == '\'') i++;
                        else break;
                    }
                }

                return (at + 1, Math.Min(i, text.Length));
            }

            if (BlockScalarHeader.IsMatch(text, at))
            {
                // key: | then the lines indented deeper than the key's line (and blank lines among them).
                int indent = IndentOf(text, LineStart(text, name.Index));
                int start = LineEnd(text, at), end = start;
                for (int line = NextLine(text, start); line < text.Length; line = NextLine(text, line))
                {
                    int lineEnd = LineEnd(text, line);
                    bool blank = text.Substring(line, lineEnd - line).Trim().Length == 0;
                    if (!blank && IndentOf(text, line) <= indent) break;
                    end = lineEnd;
                }

                return (start, end);
            }

            if (text[at] == '{' || text[at] == '[') return (at, FlowEnd(text, at)); // a flow or inline table: all of it, not what follows it
            bool equals = name.Groups["sep"].Value == "=";
            int back = Math.Min(name.Index, ContextLength);
            int context = back == 0 ? 0 : text.LastIndexOf('\n', name.Index - 1, back) + 1;
            if (context == 0) context = name.Index - back;
            bool inFlow = Unclosed(text, context, name.Index);
            char? quoted = name.Groups["open"].Success && !name.Groups["close"].Success ? name.Groups["open"].Value[0] : OpenQuote(text, context, name.Index);

            // "Failed to refresh access token: Unauthorized (401)": a key or token named inside a sentence is one word
            // (base64, hex, a JWT never hold a space), so the sentence after it stays readable. Passwords and
            // secrets may hold spaces: they are hidden to the end of the line wherever they are named.
            bool oneWord = quoted == null && !inFlow && SpaceFreeName.IsMatch(name.Value) && InSentence(text, context, name.Index);
            int endOfValue = at;
            while (endOfValue < text.Length && text[endOfValue] != '\r' && text[endOfValue] != '\n')
            {
                char c = text[endOfValue];
                if (equals && (c == ';' || c == '&')) break; // connection strings, query strings
                if (inFlow && (c == ',' || c == '}' || c == ']')) break;
                if (c == quoted) break; // the whole "name: value" is quoted in a message: 'password: x y' is ...
                if (oneWord && (c == ' ' || c == '\t') && !AuthScheme.IsMatch(text.Substring(at, endOfValue - at).TrimEnd())) break; // "Basic x": the word after the scheme too
                endOfValue++;
            }

            while (endOfValue > at && (text[endOfValue - 1] == ' ' || text[endOfValue - 1] == '\t')) endOfValue--;
            return (at, endOfValue);
        }

        // registryCredentials: { "acr": { "username": "u", "password": "p", "address": "a" } } on one line: its
        // members are named, so only their values are hidden, not the registry names, users and addresses.
        private static bool IsCredentialsTable(Match name, string value) =>
            (value[0] == '{' || value[0] == '[') && !name.Value.StartsWith("\\", StringComparison.Ordinal) && CredentialsName.IsMatch(name.Value);

        // Every scalar in a flow mapping or sequence is hidden, except under names that are never secret.
        private static string MaskMembers(string flow)
        {
            var masked = new StringBuilder(flow.Length);
            var containers = new System.Collections.Generic.Stack<(char Kind, string? Key)>();
            string? key = null;
            for (int i = 0; i < flow.Length;)
            {
                char c = flow[i];
                if (c == '{' || c == '[')
                {
                    containers.Push((c, key));
                    if (c == '{') key = null; // a sequence's items belong to its name
                }
                else if (c == '}' || c == ']') key = containers.Count > 0 ? containers.Pop().Key : null;
                else if (c == ',' && (containers.Count == 0 || containers.Peek().Kind == '{')) key = null;
                else if (c != ' ' && c != '\t' && c != ':' && c != '=' && c != ',')
                {
                    bool quotedToken = c == '"' || c == '\'';
                    int end = quotedToken ? Math.Min(QuotedEnd(flow, i) + 1, flow.Length) : BareEnd(flow, i);
                    int next = end;
                    while (next < flow.Length && (flow[next] == ' ' || flow[next] == '\t')) next++;
                    string token = flow.Substring(i, end - i);
                    string content = quotedToken ? token.Substring(1, Math.Max(0, token.Length - 2)) : token;
                    // A name only where one is due (after '{' or ','): "password": "x": "y" leaves no part of the value as a name.
                    bool nameDue = key == null && containers.Count > 0 && containers.Peek().Kind == '{';
                    if (nameDue && next < flow.Length && (flow[next] == ':' || flow[next] == '=')) key = content;
                    else if (!(key != null && NeverSecret.IsMatch(key)) && !IsHarmless(content))
                        token = quotedToken && token.Length >= 2 && token[token.Length - 1] == c ? c + Masked + c : Masked;
                    masked.Append(token);
                    i = end;
                    continue;
                }

                masked.Append(c);
                i++;
            }

            return masked.ToString();
        }

        // A plain scalar in a flow: up to the next separator (':' and '=' only before a space, as YAML reads
        // abc:def as one scalar), without the spaces before it.
        private static int BareEnd(string flow, int at)
        {
            int i = at;
            for (; i < flow.Length; i++)
            {
                char c = flow[i];
                if (c == ',' || c == '{' || c == '}' || c == '[' || c == ']') break;
                if ((c == ':' || c == '=') && (i + 1 == flow.Length || flow[i + 1] == ' ' || flow[i + 1] == '\t')) break;
            }

            while (i > at + 1 && (flow[i - 1] == ' ' || flow[i - 1] == '\t')) i--;
            return i;
        }

        // Where the flow value or inline table starting at 'at' closes on its line (its end when it does not):
        // on a one-line JSON document "registryCredentials": {...} is followed by the rest of the document.
        private static int FlowEnd(string text, int at)
        {
            int depth = 0;
            for (int i = at; i < text.Length && text[i] != '\r' && text[i] != '\n'; i++)
            {
                char c = text[i];
                if (c == '"' || c == '\'')
                {
                    i = QuotedEnd(text, i);
                    if (i >= text.Length || text[i] != c) return LineEnd(text, at);
                }
                else if (c == '{' || c == '[') depth++;
                else if ((c == '}' || c == ']') && --depth == 0) return i + 1;
            }

            return LineEnd(text, at);
        }

        // The closing quote of the string opening at 'open' on its line ("..." with \ escapes, '...' with ''), or the line's end.
        private static int QuotedEnd(string text, int open)
        {
            char quote = text[open];
            for (int i = open + 1; i < text.Length && text[i] != '\r' && text[i] != '\n'; i++)
            {
                if (quote == '"' && text[i] == '\\') i++;
                else if (text[i] == quote)
                {
                    if (quote == '\'' && i + 1 < text.Length && text[i + 1] == '\'') i++;
                    else return i;
                }
            }

            return LineEnd(text, open);
        }

        // Whether words of a sentence stand before the name on its line ("... access token: x"), rather than
        // nothing, indentation, a list dash or a comment mark (a commented-out setting is a setting).
        private static bool InSentence(string text, int lineStart, int nameIndex)
        {
            int i = nameIndex - 1;
            if (i < lineStart || (text[i] != ' ' && text[i] != '\t')) return false;
            while (i >= lineStart && (text[i] == ' ' || text[i] == '\t')) i--;
            if (i < lineStart || !(char.IsLetterOrDigit(text[i]) || text[i] == ')' || text[i] == '.')) return false;
            int first = lineStart;
            while (first < nameIndex && (text[first] == ' ' || text[first] == '\t')) first++;
            return text[first] != '#' && text[first] != '-' && text[first] != ';';
        }

        // Replaces the text of every line with ***, keeping indentation and line breaks.
        private static string MaskKeepingLines(string text)
        {
            var masked = new StringBuilder(text.Length);
            int i = 0;
            while (i < text.Length)
            {
                if (text[i] == '\r' || text[i] == '\n')
                {
                    masked.Append(text[i++]);
                    continue;
                }

                int start = i;
                while (i < text.Length && (text[i] == ' ' || text[i] == '\t')) i++;
                masked.Append(text, start, i - start);
                int content = i;
                while (i < text.Length && text[i] != '\r' && text[i] != '\n') i++;
                if (i > content) masked.Append(Masked);
            }

            return masked.ToString();
        }

        private static int LineStart(string text, int index) => index == 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;

        private static int LineEnd(string text, int index)
        {
            int i = index;
            while (i < text.Length && text[i] != '\r' && text[i] != '\n') i++;
            return i;
        }

        private static int NextLine(string text, int index)
        {
            int newline = text.IndexOf('\n', index);
            return newline < 0 ? text.Length : newline + 1;
        }

        private static int IndentOf(string text, int lineStart)
        {
            int i = lineStart;
            while (i < text.Length && (text[i] == ' ' || text[i] == '\t')) i++;
            return i - lineStart;
        }

        // Inside a flow mapping or sequence ({ a: b, ... }) on this line, where a plain value ends at ',', '}' or ']'.
        private static bool Unclosed(string text, int from, int to)
        {
            int depth = 0;
            for (int i = from; i < to; i++)
            {
                if (text[i] == '{' || text[i] == '[') depth++;
                else if ((text[i] == '}' || text[i] == ']') && depth > 0) depth--;
            }

            return depth > 0;
        }

        // The quote left open before the name on its line, if any.
        private static char? OpenQuote(string text, int from, int to)
        {
            int single = 0, dbl = 0;
            for (int i = from; i < to; i++)
            {
                if (text[i] == '\'') single++;
                else if (text[i] == '"') dbl++;
            }

            return single % 2 == 1 ? '\'' : dbl % 2 == 1 ? '"' : (char?)null;
        }

        // Values that are not secrets even under a secret-sounding name: file paths and URIs to a key file,
        // placeholders, and what is already masked.
        private static bool IsHarmless(string value)
        {
            string v = value.Trim();
            return v.Length == 0 || v == Masked || v.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
                || (v.StartsWith("/", StringComparison.Ordinal) && v.IndexOfAny(new[] { ' ', '#' }) < 0)
                || (v.StartsWith("<", StringComparison.Ordinal) && v.EndsWith(">", StringComparison.Ordinal))
                || v == "null" || v == "~" || v == "true" || v == "false" || v == "{}" || v == "[]"
                || FileUriTable.IsMatch(v);
        }
    }
}
