using System;

namespace IoTEdgeTroubleshoot.Edge.Deployment
{
    /// <summary>The registry of an image reference and of a registryCredentials address, as Docker tells them.</summary>
    internal static class ImageReference
    {
        public const string DockerHub = "docker.io";

        /// <summary>"myacr.azurecr.io/app:1.0" → "myacr.azurecr.io"; "redis" or "library/redis" → docker.io; null for a template placeholder.</summary>
        public static string? Registry(string image)
        {
            if (image.IndexOf('$') >= 0) return null; // ${MODULES.x} or $CONTAINER_REGISTRY: a template the tooling fills in
            int slash = image.IndexOf('/');
            if (slash <= 0) return DockerHub;
            string first = image.Substring(0, slash);
            bool isHost = first.IndexOf('.') >= 0 || first.IndexOf(':') >= 0 || first == "localhost";
            return isHost ? Normalize(first) : DockerHub;
        }

        /// <summary>A registry address as the engine matches it: no scheme, no path, lower case; Docker Hub's names are one.</summary>
        public static string Normalize(string address)
        {
            string host = address.Trim();
            int scheme = host.IndexOf("://", StringComparison.Ordinal);
            if (scheme >= 0) host = host.Substring(scheme + 3);
            int slash = host.IndexOf('/');
            if (slash >= 0) host = host.Substring(0, slash);
            host = host.ToLowerInvariant();
            return host == "index.docker.io" || host == "registry-1.docker.io" || host == "registry.hub.docker.com" ? DockerHub : host;
        }

        /// <summary>An address with more than the host (a scheme, a path), which is not what edgeAgent hands the engine.</summary>
        public static bool HasMoreThanHost(string address)
        {
            string trimmed = address.Trim();
            return trimmed.IndexOf("://", StringComparison.Ordinal) >= 0 || trimmed.TrimEnd('/').IndexOf('/') >= 0;
        }
    }
}
