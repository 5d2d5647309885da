using System;
using System.IO;
using System.Threading;

namespace IoTEdgeTroubleshoot.LoopbackAzure
{
    /// <summary>
    /// For Pester: LoopbackAzure &lt;bearer token&gt; &lt;folder&gt;. Writes endpoint.txt (the address) and
    /// certificate.pem (to trust through SSL_CERT_FILE) into the folder, then serves until stdin closes.
    /// </summary>
    public static class Program
    {
        public static int Main(string[] args)
        {
            if (args.Length != 2)
            {
                Console.Error.WriteLine("usage: LoopbackAzure <bearer token> <folder>");
                return 2;
            }

            using var server = new LoopbackAzureServer(args[0]);
            File.WriteAllText(Path.Combine(args[1], "certificate.pem"), TestCertificate.ToPem(server.Certificate));
            File.WriteAllText(Path.Combine(args[1], "endpoint.txt"), server.Endpoint.ToString());
            Console.Out.WriteLine(server.Endpoint);
            Console.Out.Flush();
            // Serves until the test closes our stdin (or kills us).
            while (Console.In.ReadLine() != null) Thread.Sleep(10);
            return 0;
        }
    }
}
