using System.Threading;

namespace IoTEdgeTroubleshoot.Edge.SupportBundle.Parts
{
    /// <summary>
    /// One part of a support bundle: the entries it writes. A part that cannot be collected here (no docker,
    /// not elevated, no such file) says so through <see cref="BundleContext.Skip"/> or throws a
    /// TroubleshootException, which the builder notes in summary.txt; it never fails the bundle.
    /// </summary>
    internal interface IBundlePart
    {
        /// <summary>What the part is, in words: "daemon logs".</summary>
        string Name { get; }

        /// <summary>What it would write, for -WhatIf.</summary>
        string Plan(SupportBundleRequest request);

        void Collect(BundleContext context, CancellationToken cancellationToken);
    }
}
