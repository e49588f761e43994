namespace TTMall.Users.Data;

/// <summary>
/// A mail the service has to send, in the table <c>mail_outbox</c>: written in the same transaction as the change it
/// tells of, for a mailer to send and delete. The mall has no mailer yet; tests read the table.
/// </summary>
public sealed class OutgoingMail
{
    public Guid Id { get; set; }
    public required string To { get; set; }
    public required string Subject { get; set; }
    public required string Body { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
