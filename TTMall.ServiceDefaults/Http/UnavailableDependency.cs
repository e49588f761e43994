namespace TTMall.ServiceDefaults.Http;

/// <summary>
/// A store or service a request depends on, and how to recognise that it did not answer: <paramref name="Matches"/> is
/// tried on the exception and each of its inner exceptions (a data layer wraps the driver's).
/// </summary>
public sealed record UnavailableDependency(Func<Exception, bool> Matches, string Title, string Detail);
