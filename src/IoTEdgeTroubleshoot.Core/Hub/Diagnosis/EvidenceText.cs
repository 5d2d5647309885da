using System;
using System.Text;

namespace IoTEdgeTroubleshoot.Hub.Diagnosis
{
    /// <summary>
    /// The buffer a detector writes a diagnosis' Evidence into, one per analysis thread. On a large hub tens of thousands
    /// of diagnoses are made; joining each text from interpolated pieces made every piece a string of its own (and every
    /// number an object) before the text itself, all of it fresh memory the analysis touched once.
    /// </summary>
    internal static class EvidenceText
    {
        [ThreadStatic]
        private static StringBuilder? t_text;

        // A buffer that grew past this (a text with a very long value from the input, such as a protocol field) is not
        // kept for the thread's life: the next text starts a new one.
        private const int MaxKeptCapacity = 4096;

        /// <summary>This thread's buffer, emptied: write one text into it and take it with ToString before the next.</summary>
        public static StringBuilder Start()
        {
            var text = t_text;
            if (text == null || text.Capacity > MaxKeptCapacity) t_text = text = new StringBuilder(512);
            text.Clear();
            return text;
        }
    }
}
