namespace Plue.Providers;

/// <summary>Why a provider call failed, which decides the message people see and whether retrying can help.</summary>
public enum ProviderErrorKind
{
    /// <summary>401/403: the key is wrong, revoked, or lacks permission.</summary>
    BadKey,
    /// <summary>402 or Anthropic's billing_error: the account has no credit.</summary>
    NoCredit,
    /// <summary>429: too many requests or tokens; carries when to retry.</summary>
    RateLimited,
    /// <summary>404 or not_found_error: the model (or endpoint path) does not exist.</summary>
    ModelNotFound,
    /// <summary>The prompt does not fit the model's context window.</summary>
    ContextTooLong,
    /// <summary>529 / 503: the provider is overloaded.</summary>
    Overloaded,
    /// <summary>Any other 5xx.</summary>
    ServerError,
    /// <summary>Any other 4xx: the provider rejected the request.</summary>
    BadRequest,
    /// <summary>No first byte, or no data between chunks, within the instance's timeouts.</summary>
    Timeout,
    /// <summary>The stream ended before the provider's end marker.</summary>
    StreamCut,
    /// <summary>The endpoint could not be reached (connection refused, DNS, TLS).</summary>
    Unreachable,
    /// <summary>The stream held what its format does not allow: a malformed chunk, or a line or part over the limits.</summary>
    Malformed,
}
