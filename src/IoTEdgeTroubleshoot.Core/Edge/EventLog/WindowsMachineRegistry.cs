using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text;

namespace IoTEdgeTroubleshoot.Edge.EventLog
{
    /// <summary>
    /// HKEY_LOCAL_MACHINE through advapi32, for Windows only. netstandard2.0 has no Microsoft.Win32.Registry, and
    /// the package's netstandard2.0 assembly is the one that throws PlatformNotSupportedException (the Windows
    /// one sits under runtimes/win, which a module folder does not resolve), so the four calls are made directly.
    /// </summary>
    public sealed class WindowsMachineRegistry : IMachineRegistry
    {
        private const int ErrorSuccess = 0;
        private const int ErrorFileNotFound = 2;
        private const int ErrorAccessDenied = 5;
        private const int ErrorMoreData = 234;
        private const int KeyRead = 0x20019;
        private const int KeyWrite = 0x20006;
        private const int RegSz = 1;
        private const int RegExpandSz = 2;
        private const int RegDword = 4;

        private static readonly IntPtr LocalMachine = new IntPtr(unchecked((int)0x80000002));

        public IReadOnlyDictionary<string, object>? Read(string subKey, IEnumerable<string> names)
        {
            int opened = RegOpenKeyExW(LocalMachine, subKey, 0, KeyRead, out var key);
            if (opened == ErrorFileNotFound) return null;
            Check(opened, subKey);
            try
            {
                var values = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
                foreach (var name in names)
                {
                    int size = 0;
                    int status = RegQueryValueExW(key, name, IntPtr.Zero, out int type, null, ref size);
                    if (status == ErrorFileNotFound) continue;
                    if (status != ErrorSuccess && status != ErrorMoreData) Check(status, subKey);
                    var data = new byte[Math.Max(size, 4)];
                    Check(RegQueryValueExW(key, name, IntPtr.Zero, out type, data, ref size), subKey);
                    if (type == RegDword) values[name] = BitConverter.ToInt32(data, 0);
                    else if (type == RegSz || type == RegExpandSz) values[name] = Encoding.Unicode.GetString(data, 0, size).TrimEnd('\0');
                }

                return values;
            }
            finally
            {
                RegCloseKey(key);
            }
        }

        public void Write(string subKey, IReadOnlyList<RegistryValue> values)
        {
            Check(RegCreateKeyExW(LocalMachine, subKey, 0, null, 0, KeyRead | KeyWrite, IntPtr.Zero, out var key, out _), subKey);
            try
            {
                foreach (var value in values)
                {
                    byte[] data = value.Kind == RegistryValueKind.DWord
                        ? BitConverter.GetBytes((int)value.Value)
                        : Encoding.Unicode.GetBytes((string)value.Value + "\0");
                    Check(RegSetValueExW(key, value.Name, 0, value.Kind == RegistryValueKind.DWord ? RegDword : RegSz, data, data.Length), subKey);
                }
            }
            finally
            {
                RegCloseKey(key);
            }
        }

        private static void Check(int status, string subKey)
        {
            if (status == ErrorSuccess) return;
            var error = new Win32Exception(status);
            if (status == ErrorAccessDenied) throw new UnauthorizedAccessException($"Access to HKEY_LOCAL_MACHINE\\{subKey} is denied: {error.Message}", error);
            throw error;
        }

        [DllImport("advapi32.dll", CharSet = CharSet.Unicode)]
        private static extern int RegOpenKeyExW(IntPtr key, string subKey, int options, int desired, out IntPtr result);

        [DllImport("advapi32.dll", CharSet = CharSet.Unicode)]
        private static extern int RegCreateKeyExW(IntPtr key, string subKey, int reserved, string? className, int options, int desired, IntPtr security, out IntPtr result, out int disposition);

        [DllImport("advapi32.dll", CharSet = CharSet.Unicode)]
        private static extern int RegQueryValueExW(IntPtr key, string name, IntPtr reserved, out int type, byte[]? data, ref int size);

        [DllImport("advapi32.dll", CharSet = CharSet.Unicode)]
        private static extern int RegSetValueExW(IntPtr key, string name, int reserved, int type, byte[] data, int size);

        [DllImport("advapi32.dll")]
        private static extern int RegCloseKey(IntPtr key);
    }
}
