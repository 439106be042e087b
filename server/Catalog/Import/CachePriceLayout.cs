namespace Plue.Catalog.Import;

/// <summary>
/// What a Catwalk file's <c>cost_per_1m_in_cached</c> / <c>cost_per_1m_out_cached</c> columns hold.
/// Catwalk documents the first as the cache-write and the second as the cache-read price, but its
/// files do not agree, so the importer decides per file (see <see cref="CatwalkImporter"/>).
/// Every layout reads a zero as "not published" (null), never as free.
/// </summary>
public enum CachePriceLayout
{
    /// <summary>Catwalk's documented convention: in_cached = cache write, out_cached = cache read.</summary>
    WriteThenRead,

    /// <summary>The reverse: in_cached = cache read, out_cached = cache write.</summary>
    ReadThenWrite,

    /// <summary>in_cached = cache read; out_cached is always 0 (checked) and no write price is published.</summary>
    ReadInInCached,

    /// <summary>Both columns carry only the cache-read price (equal, or one of them 0 or a copy of the output price); no write price.</summary>
    ReadInEither,

    /// <summary>Per model, by size: a value above the input price is a cache write, one at or below it a cache read.</summary>
    ByMagnitude,

    /// <summary>The columns repeat the input and output prices (checked): no cache prices are published.</summary>
    CopiesOfBasePrices,

    /// <summary>Both columns are always 0 or absent (checked): no cache prices are published.</summary>
    NotPublished,
}
