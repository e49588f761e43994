using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TTMall.Eureka;

/// <summary>
/// What a usable instance looks like. Registry data crosses process boundaries and is untrusted: the server refuses an
/// instance that breaks these rules (400), and every reader (clients, the gateway, the status page) skips one rather
/// than build an address from it. One set of rules for both sides, so what the server accepts every reader can use.
/// </summary>
public static class InstanceRules
{
    public const int MaxIdLength = 128;
    public const int MaxAppNameLength = 64;
    public const int MaxHostNameLength = 253;
    public const int MaxUrlLength = 512;
    public const int MaxVipLength = 256;
    public const int MaxShortTextLength = 128;
    public const int MaxMetadataEntries = 32;

    /// <summary>Keys and values together, in UTF-8.</summary>
    public const int MaxMetadataBytes = 2 * 1024;

    /// <summary>
    /// The instance as JSON, as the registry writes it (escapes included): what is stored, served in every document and
    /// replicated, so one peer never accepts what the other must refuse.
    /// </summary>
    public const int MaxInstanceBytes = 6 * 1024;

    public const int MinRenewalIntervalSecs = 1;
    public const int MaxRenewalIntervalSecs = 120;
    public const int MinDurationSecs = 1;
    public const int MaxDurationSecs = 600;

    /// <summary>How far in the future a lastDirtyTimestamp may be (clocks differ a little): beyond it a write is refused.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Why the instance cannot be used, or null. <paramref name="nowMs"/> (Unix milliseconds) checks its lastDirtyTimestamp
    /// against the clock; readers, which take what the registry holds, leave it out.
    /// </summary>
    public static string? Problem(InstanceInfo instance, long? nowMs = null)
    {
        if (IdProblem("instanceId", instance.InstanceId, MaxIdLength) is { } id)
        {
            return id;
        }

        if (IdProblem("app", instance.App, MaxAppNameLength) is { } app)
        {
            return app;
        }

        if (!IsHost(instance.HostName))
        {
            return $"hostName '{Shown(instance.HostName)}' is not a host name or IP address";
        }

        if (!IsIpAddress(instance.IpAddr))
        {
            return $"ipAddr '{Shown(instance.IpAddr)}' is not an IP address";
        }

        if ((PortProblem("port", instance.Port, instance.PortEnabled) ?? PortProblem("securePort", instance.SecurePort, instance.SecurePortEnabled)) is { } port)
        {
            return port;
        }

        if ((TextProblem("dataCenterInfo.name", instance.DataCenterName, MaxShortTextLength)
            ?? TextProblem("dataCenterInfo.@class", instance.DataCenterClass, MaxShortTextLength)
            ?? VipProblem("vipAddress", instance.VipAddress)
            ?? VipProblem("secureVipAddress", instance.SecureVipAddress)
            ?? UrlProblem("homePageUrl", instance.HomePageUrl)
            ?? UrlProblem("statusPageUrl", instance.StatusPageUrl)
            ?? UrlProblem("healthCheckUrl", instance.HealthCheckUrl)
            ?? UrlProblem("secureHealthCheckUrl", instance.SecureHealthCheckUrl)
            ?? MetadataProblem(instance.Metadata)) is { } text)
        {
            return text;
        }

        if (nowMs is { } now && instance.LastDirtyTimestamp > now + (long)MaxClockSkew.TotalMilliseconds)
        {
            return $"lastDirtyTimestamp {instance.LastDirtyTimestamp} is in the future";
        }

        var bytes = EurekaJson.InstanceDocument(instance).Length;
        return bytes > MaxInstanceBytes ? $"the instance is {bytes} bytes as JSON; at most {MaxInstanceBytes} are accepted" : null;
    }

    /// <summary>Lease terms within bounds: a lease that never ends would keep an instance nobody can remove.</summary>
    public static LeaseInfo Clamped(LeaseInfo lease) => lease with
    {
        RenewalIntervalInSecs = Math.Clamp(lease.RenewalIntervalInSecs, MinRenewalIntervalSecs, MaxRenewalIntervalSecs),
        DurationInSecs = Math.Clamp(lease.DurationInSecs, MinDurationSecs, MaxDurationSecs),
    };

    /// <summary>Ids and application names: letters, digits and <c>. _ - : @</c>, so they can stand in a URL path unescaped.</summary>
    public static bool IsSafeId(string? text, int maxLength = MaxIdLength) =>
        text is { Length: > 0 } && text.Length <= maxLength && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':' or '@');

    /// <summary>A DNS name (labels of letters, digits, hyphens and underscores) or an IP address: what a URI's host can be, and nothing more.</summary>
    public static bool IsHost(string? host)
    {
        if (string.IsNullOrEmpty(host) || host.Length > MaxHostNameLength)
        {
            return false;
        }

        if (IsIpAddress(host))
        {
            return true;
        }

        var labels = host.TrimEnd('.').Split('.');
        return labels.All(label => label.Length is > 0 and <= 63
                && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
                && label[0] != '-' && label[^1] != '-')
            // All digits would read as a (malformed) IPv4 address.
            && !labels[^1].All(char.IsAsciiDigit);
    }

    /// <summary>A dotted-quad IPv4 or an IPv6 address (IPAddress.TryParse alone takes "1" for 0.0.0.1).</summary>
    public static bool IsIpAddress(string? text) =>
        !string.IsNullOrEmpty(text) && text.Length <= 45 && IPAddress.TryParse(text, out var address)
        && (address.AddressFamily == AddressFamily.InterNetworkV6 ? text.Contains(':') && !text.Contains('%') : text.Count(c => c == '.') == 3 && text.All(c => char.IsAsciiDigit(c) || c == '.'));

    public static bool IsPort(int port) => port is > 0 and <= 65535;

    /// <summary>Text with no control characters and no unpaired surrogates (which no JSON writer can write).</summary>
    public static bool IsCleanText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
            {
                return false;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>"http://host:port/" of an instance, or null when its host or port could not make one.</summary>
    public static Uri? Address(string scheme, string host, int port) =>
        IsHost(host) && IsPort(port)
        && Uri.TryCreate($"{scheme}://{(host.Contains(':') ? $"[{host}]" : host)}:{port.ToString(CultureInfo.InvariantCulture)}/", UriKind.Absolute, out var uri)
            ? uri
            : null;

    private static string? IdProblem(string field, string? value, int maxLength) =>
        IsSafeId(value, maxLength) ? null : $"{field} '{Shown(value)}' must be 1–{maxLength} letters, digits or . _ - : @";

    private static string? PortProblem(string field, int port, bool enabled) =>
        enabled ? IsPort(port) ? null : $"{field} {port} is not a port (1–65535)"
        : port is >= 0 and <= 65535 ? null : $"{field} {port} is out of range (0–65535)";

    private static string? TextProblem(string field, string? value, int maxLength) =>
        value is null ? null
        : value.Length > maxLength ? $"{field} is longer than {maxLength} characters"
        : IsCleanText(value) ? null : $"{field} holds control characters or broken Unicode";

    private static string? VipProblem(string field, string? value) =>
        value is null or "" ? null
        : value.Length > MaxVipLength ? $"{field} is longer than {MaxVipLength} characters"
        : value.Split(',', StringSplitOptions.TrimEntries).All(vip => IsSafeId(vip, MaxAppNameLength)) ? null
        : $"{field} '{Shown(value)}' must be names of letters, digits or . _ - : @, separated by commas";

    private static string? UrlProblem(string field, string? value) =>
        value is null or "" ? null
        : value.Length > MaxUrlLength ? $"{field} is longer than {MaxUrlLength} characters"
        : IsCleanText(value) && Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && IsHost(uri.DnsSafeHost) ? null
        : $"{field} '{Shown(value)}' is not an http(s) URL";

    private static string? MetadataProblem(IReadOnlyDictionary<string, string> metadata)
    {
        if (metadata.Count > MaxMetadataEntries)
        {
            return $"metadata has {metadata.Count} entries; at most {MaxMetadataEntries} are accepted";
        }

        var bytes = 0;
        foreach (var (key, value) in metadata)
        {
            if (key.Length == 0 || !IsCleanText(key) || !IsCleanText(value))
            {
                return $"metadata key '{Shown(key)}' is empty or holds control characters or broken Unicode";
            }

            bytes += Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value);
        }

        return bytes > MaxMetadataBytes ? $"metadata is {bytes} bytes; at most {MaxMetadataBytes} are accepted" : null;
    }

    /// <summary>A value as a reason or a log line may quote it: short, and without what would break a line of text.</summary>
    public static string Shown(string? value)
    {
        var text = value ?? "";
        var clean = new string([.. text.Take(40).Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c)]);
        return text.Length > 40 ? clean + "…" : clean;
    }
}
