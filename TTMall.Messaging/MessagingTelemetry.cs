using System.Diagnostics;

namespace TTMall.Messaging;

/// <summary>The activities the relay starts; MassTransit's own ("MassTransit") cover sending and consuming.</summary>
public static class MessagingTelemetry
{
    public const string ActivitySourceName = "TTMall.Messaging";

    internal static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>
    /// An activity that continues the trace of the request that wrote the event, so MassTransit's publish (a child of
    /// the current activity) and the consumers' work join it. Started even when nobody listens to this source, since
    /// MassTransit's activities take their parent from <see cref="Activity.Current"/>.
    /// </summary>
    internal static Activity? StartRelay(OutboxMessage message)
    {
        if (message.TraceParent is null || !ActivityContext.TryParse(message.TraceParent, null, out var parent))
        {
            return Source.StartActivity("outbox relay", ActivityKind.Internal);
        }

        return Source.StartActivity("outbox relay", ActivityKind.Internal, parent)
            ?? new Activity("outbox relay").SetParentId(message.TraceParent).Start();
    }
}
