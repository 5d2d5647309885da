using System;
using System.Management.Automation;
using System.Security;
using IoTEdgeTroubleshoot.Cloud;
using IoTEdgeTroubleshoot.Hub.Cloud;

namespace IoTEdgeTroubleshoot.Commands
{
    /// <summary>
    /// The cloud commands' shared parameters: which cloud, which tenant, an optional token the user already
    /// has (otherwise DefaultAzureCredential: managed identity, environment, Azure CLI, Azure PowerShell),
    /// and the Resource Manager endpoint override.
    /// </summary>
    public abstract class AzureCommandBase : TroubleshootCmdlet
    {
        [Parameter]
        public AzureEnvironment Environment { get; set; } = AzureEnvironment.AzureCloud;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? TenantId { get; set; }

        [Parameter]
        [SecureStringTransformation]
        [ValidateNotNull]
        public SecureString? AccessToken { get; set; }

        [Parameter]
        [ValidateNotNull]
        public Uri? ResourceManagerEndpoint { get; set; }

        protected AzureConnectionSettings AzureSettings() =>
            AzureParameters.Settings(Environment, TenantId, AccessToken, null, ResourceManagerEndpoint);
    }
}
