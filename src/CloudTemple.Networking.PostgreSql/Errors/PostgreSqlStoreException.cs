namespace CloudTemple.Networking.PostgreSql;

/// <summary>
/// A store operation failed in the database: a non-transient error, or a transient one that outlasted
/// <see cref="PostgreSqlStoreOptions.MaxAttempts"/>. The operation's transaction was rolled back, so it
/// changed nothing (except when the connection dropped while the commit itself was in flight; the
/// store then retries and recognizes its own committed work where it can, see the storage guide).
/// </summary>
/// <remarks>The database's own exception is <see cref="Exception.InnerException"/>.</remarks>
public sealed class PostgreSqlStoreException : NetworkingException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">The store operation, for example <c>AllocateAsync</c>.</param>
    /// <param name="attempts">How many times it was tried.</param>
    /// <param name="transient">Whether the last failure was transient (the retry bound was reached).</param>
    /// <param name="innerException">The database's exception.</param>
    public PostgreSqlStoreException(string operation, int attempts, bool transient, Exception innerException)
        : base(
            transient
                ? $"The PostgreSQL store could not complete {operation}: still failing after {attempts} attempts ({innerException?.Message}). Nothing was changed."
                : $"The PostgreSQL store could not complete {operation}: {innerException?.Message}. Nothing was changed.",
            innerException)
    {
        Operation = operation;
        Attempts = attempts;
        IsTransient = transient;
    }

    /// <summary>The store operation.</summary>
    public string Operation { get; }

    /// <summary>How many times it was tried.</summary>
    public int Attempts { get; }

    /// <summary>Whether the last failure was transient: trying again later may succeed.</summary>
    public bool IsTransient { get; }
}
