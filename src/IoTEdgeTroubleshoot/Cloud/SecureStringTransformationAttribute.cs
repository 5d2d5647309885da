using System.Management.Automation;
using System.Security;

namespace IoTEdgeTroubleshoot.Cloud
{
    /// <summary>
    /// -AccessToken and -ConnectionString take a SecureString, a plain string, or the object
    /// Get-AzAccessToken returns (its Token); kept as a SecureString so that PowerShell's own
    /// logging of parameters never shows the value.
    /// </summary>
    public sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is PSCustomObject || (value != null && !(value is string) && !(value is SecureString)))
            {
                var token = PSObject.AsPSObject(inputData).Properties["Token"]?.Value;
                if (token != null) value = token is PSObject inner ? inner.BaseObject : token;
            }

            if (value is string text)
            {
                var secure = new SecureString();
                foreach (char c in text) secure.AppendChar(c);
                secure.MakeReadOnly();
                return secure;
            }

            return value;
        }
    }
}
