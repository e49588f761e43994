using Microsoft.Extensions.Primitives;
using TTMall.Eureka;

namespace TTMall.Eureka.Client;

/// <summary>What a process routing by the registry reads from it: a service's UP instances, and when they change.</summary>
public interface IServiceInstances
{
    /// <summary>
    /// The UP instances whose VIP address (or, failing that, application name) is <paramref name="service"/>,
    /// case-insensitively, each with an address to send requests to. Instances the registry's rules refuse are never among them.
    /// </summary>
    IReadOnlyList<InstanceInfo> UpInstances(string service);

    /// <summary>Fires when <see cref="UpInstances"/> may answer differently. Take it before reading, so a change in between is not missed.</summary>
    IChangeToken ChangeToken { get; }
}
