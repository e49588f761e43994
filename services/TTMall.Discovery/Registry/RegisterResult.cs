namespace TTMall.Discovery.Registry;

/// <summary>What became of a registration, and why when it was refused.</summary>
public sealed record RegisterResult(RegisterOutcome Outcome, string? Reason = null)
{
    public static RegisterResult Registered { get; } = new(RegisterOutcome.Registered);
}
