using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// A text file as it was read: its exact bytes (for the change check before writing), its text,
    /// and how it was encoded (BOM, UTF-8 or UTF-16, CRLF or LF), so that an edit writes it back the same way.
    /// </summary>
    public sealed class TextFileSnapshot
    {
        private TextFileSnapshot(string path, byte[] bytes, string text, Encoding encoding, bool hasBom)
        {
            Path = path;
            Bytes = bytes;
            Text = text;
            Encoding = encoding;
            HasBom = hasBom;
            NewLine = text.Contains("\r\n") ? "\r\n" : "\n";
        }

        public string Path { get; }

        public byte[] Bytes { get; }

        public string Text { get; }

        public Encoding Encoding { get; }

        public bool HasBom { get; }

        /// <summary>The file's line ending: CRLF if it has any, else LF.</summary>
        public string NewLine { get; }

        public static TextFileSnapshot Read(string path)
        {
            // a named pipe in place of the file would block the read until something writes, a device never ends
            string? notRegular = Hub.LogFileFinder.NotRegular(path);
            if (notRegular != null) throw new IOException($"'{path}' {notRegular}; it was not opened.");
            byte[] bytes = File.ReadAllBytes(path);
            if (bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
            {
                return new TextFileSnapshot(path, bytes, new UTF8Encoding(false).GetString(bytes, 3, bytes.Length - 3), new UTF8Encoding(false), true);
            }

            if (bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
            {
                return new TextFileSnapshot(path, bytes, Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2), new UnicodeEncoding(false, false), true);
            }

            // Not valid UTF-8 is still read (as UTF-8 with replacement characters), but an edit refuses it.
            var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
            try
            {
                return new TextFileSnapshot(path, bytes, strict.GetString(bytes), new UTF8Encoding(false), false);
            }
            catch (DecoderFallbackException)
            {
                return new TextFileSnapshot(path, bytes, new UTF8Encoding(false).GetString(bytes), new UTF8Encoding(false), false) { IsValidText = false };
            }
        }

        /// <summary>The same file with other text (to parse a planned edit before writing it).</summary>
        public TextFileSnapshot WithText(string text) => new TextFileSnapshot(Path, Encode(text), text, Encoding, HasBom);

        /// <summary>False when the bytes are not valid UTF-8: such a file is checked, never edited.</summary>
        public bool IsValidText { get; private set; } = true;

        /// <summary>The bytes <paramref name="text"/> would be written as, with this file's BOM and encoding.</summary>
        public byte[] Encode(string text)
        {
            var body = Encoding.GetBytes(text);
            if (!HasBom) return body;
            var bom = Encoding is UnicodeEncoding ? new byte[] { 0xFF, 0xFE } : new byte[] { 0xEF, 0xBB, 0xBF };
            var result = new byte[bom.Length + body.Length];
            Buffer.BlockCopy(bom, 0, result, 0, bom.Length);
            Buffer.BlockCopy(body, 0, result, bom.Length, body.Length);
            return result;
        }

        public static string Hash(byte[] bytes)
        {
            using var sha = SHA256.Create();
            return BitConverter.ToString(sha.ComputeHash(bytes)).Replace("-", string.Empty);
        }
    }
}
