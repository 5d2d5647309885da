using System;
using System.IO;

namespace IoTEdgeTroubleshoot.Platform
{
    /// <summary>
    /// Creates a file that does not exist yet, the safe way: its folder is created when missing, the content is
    /// written and flushed to a temporary file beside it, which is then moved to the name without replacing
    /// anything (a file that appeared in between is left alone and reported). Editing an existing file is
    /// <see cref="SafeFileWriter"/>'s job.
    /// </summary>
    public static class NewFileWriter
    {
        /// <summary>Writes <paramref name="bytes"/> to the new file <paramref name="path"/>; the folders created on the way come back.</summary>
        public static FileEditResult Create(string path, byte[] bytes)
        {
            string full = Path.GetFullPath(path);
            string folder = Path.GetDirectoryName(full) ?? ".";
            string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
            try
            {
                Directory.CreateDirectory(folder);
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(flushToDisk: true);
                }

                if (File.Exists(full))
                {
                    throw new TroubleshootException(ErrorIds.FileChangedSinceRead, ProblemKind.InvalidOperation, path,
                        $"'{path}' appeared while it was being created; it was not overwritten. Run the command again.");
                }

                File.Move(temp, full);
                return new FileEditResult(path, changed: true, backupPath: null, targetPath: full);
            }
            catch (Exception ex) when ((ex is IOException || ex is UnauthorizedAccessException) && ex is not FileWriteException)
            {
                Delete(temp);
                var failure = SafeFileWriter.FailureOf(ex);
                string what = failure == FileWriteFailure.AccessDenied || failure == FileWriteFailure.NotPermitted
                    ? $"Cannot create '{path}': access is denied. Run elevated: 'sudo pwsh' on Linux, or PowerShell as Administrator on Windows."
                    : $"Cannot create '{path}': {ex.Message}";
                throw new FileWriteException(path, failure, fileChanged: false, $"{what} Nothing was written.", ex);
            }
            finally
            {
                Delete(temp);
            }
        }

        private static void Delete(string path)
        {
            try
            {
                if (File.Exists(path)) File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
