using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using IoTEdgeTroubleshoot.Edge.Config;
using IoTEdgeTroubleshoot.Edge.Json;

namespace IoTEdgeTroubleshoot.Edge.Deployment
{
    /// <summary>
    /// A module's createOptions: Docker's container-create options as a JSON text inside a JSON string. The
    /// IoT Hub takes at most 512 characters a string, so a long one is split into "createOptions",
    /// "createOptions01", ... "createOptions07", which edgeAgent joins in order. A deployment template (VS Code)
    /// may hold it as an object instead, which the tooling turns into the string form.
    /// </summary>
    internal sealed class CreateOptions
    {
        /// <summary>The longest string the IoT Hub takes for one chunk.</summary>
        public const int ChunkLength = 512;

        /// <summary>createOptions and createOptions01 to createOptions07.</summary>
        public const int MaxChunks = 8;

        private static readonly Regex ChunkName = new Regex(@"^createOptions(?<n>\d{2})?$", RegexOptions.CultureInvariant);

        private CreateOptions(IReadOnlyList<JsonMember> chunks, bool isObject, string text, JsonSpan? root, ConfigSyntaxError? error, string? chunkProblem)
        {
            Chunks = chunks;
            IsObject = isObject;
            Text = text;
            Root = root;
            Error = error;
            ChunkProblem = chunkProblem;
        }

        /// <summary>createOptions, createOptions01, ... in order.</summary>
        public IReadOnlyList<JsonMember> Chunks { get; }

        /// <summary>The template form: an object, not a string.</summary>
        public bool IsObject { get; }

        /// <summary>The joined string (or, in the template form, the object's text).</summary>
        public string Text { get; }

        /// <summary>The parsed options; null when <see cref="Error"/> or <see cref="ChunkProblem"/> says why.</summary>
        public JsonSpan? Root { get; }

        public ConfigSyntaxError? Error { get; }

        /// <summary>A chunk that is missing from the sequence, or is not a string.</summary>
        public string? ChunkProblem { get; }

        public JsonMember First => Chunks[0];

        /// <summary>The chunk size to write back: the one the file uses when it is split, else the hub's limit.</summary>
        public int ChunkSize => !IsObject && Chunks.Count > 1 && Chunks[0].Value.StringValue!.Length > 0 ? Chunks[0].Value.StringValue!.Length : ChunkLength;

        /// <summary>HostConfig.Dns as Docker reads it (member names in any case), or null.</summary>
        public JsonSpan? Dns => HostConfig?.MemberIgnoringCase("Dns")?.Value;

        public JsonSpan? HostConfig => Root?.Kind == JsonKind.Object && Root.MemberIgnoringCase("HostConfig")?.Value is JsonSpan host && host.Kind == JsonKind.Object ? host : null;

        /// <summary>The createOptions of a module's settings; null when it has none.</summary>
        public static CreateOptions? Read(string manifestText, JsonSpan settings)
        {
            var chunks = settings.Members
                .Select(m => (Member: m, Match: ChunkName.Match(m.Name)))
                .Where(c => c.Match.Success)
                .Select(c => (c.Member, Index: c.Match.Groups["n"].Success ? int.Parse(c.Match.Groups["n"].Value, CultureInfo.InvariantCulture) : 0))
                .GroupBy(c => c.Index)
                .Select(g => g.Last()) // a name written twice: the last, as the reader keeps it
                .OrderBy(c => c.Index)
                .ToList();
            if (chunks.Count == 0) return null;

            var members = chunks.Select(c => c.Member).ToList();
            if (chunks[0].Index == 0 && chunks[0].Member.Value.Kind == JsonKind.Object && chunks.Count == 1)
            {
                var obj = chunks[0].Member.Value;
                return new CreateOptions(members, true, obj.RawText(manifestText), obj, null, null);
            }

            for (int i = 0; i < chunks.Count; i++)
            {
                if (chunks[i].Index != i)
                {
                    string missing = i == 0 ? "createOptions" : $"createOptions{i:00}";
                    return new CreateOptions(members, false, string.Empty, null, null, $"{chunks[i].Member.Name} follows no {missing}: the chunks must run createOptions, createOptions01, createOptions02, ... without a gap");
                }

                if (chunks[i].Member.Value.Kind != JsonKind.String)
                {
                    return new CreateOptions(members, false, string.Empty, null, null, $"{chunks[i].Member.Name} is not a string: createOptions is a JSON text inside a string (\"{{\\\"HostConfig\\\": ...}}\")");
                }
            }

            string text = string.Concat(chunks.Select(c => c.Member.Value.StringValue));
            var root = JsonText.Parse(text.Trim().Length == 0 ? "{}" : text, out var error);
            return new CreateOptions(members, false, text, root, error, null);
        }

        /// <summary>The text cut into chunks of at most <paramref name="size"/> characters, never inside a surrogate pair.</summary>
        public static IReadOnlyList<string> Split(string text, int size)
        {
            var pieces = new List<string>();
            int at = 0;
            while (at < text.Length)
            {
                int length = Math.Min(size, text.Length - at);
                if (at + length < text.Length && char.IsHighSurrogate(text[at + length - 1])) length--;
                pieces.Add(text.Substring(at, length));
                at += length;
            }

            if (pieces.Count == 0) pieces.Add(string.Empty);
            return pieces;
        }

        public static string ChunkNameAt(int index) => index == 0 ? "createOptions" : "createOptions" + index.ToString("00", CultureInfo.InvariantCulture);
    }
}
