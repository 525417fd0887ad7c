namespace Pairwise.Listings;

public readonly record struct GeoPoint(double Lat, double Lon)
{
    public const double EarthRadiusKm = 6371.0088;

    /// <summary>Great-circle distance (haversine), in kilometres.</summary>
    public double DistanceKm(GeoPoint other)
    {
        var dLat = ToRadians(other.Lat - Lat);
        var dLon = ToRadians(other.Lon - Lon);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2)
            + Math.Cos(ToRadians(Lat)) * Math.Cos(ToRadians(other.Lat)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    private static double ToRadians(double degrees) => degrees * Math.PI / 180;

    public const string Format = "Must be LAT,LON in degrees, e.g. 22.2819,114.1582.";

    /// <summary>Reads "LAT,LON" (the near= parameter) in invariant culture, within the globe.</summary>
    public static bool TryParse(string text, out GeoPoint point)
    {
        point = default;
        var parts = text.Split(',');
        if (parts.Length == 2
            && double.TryParse(parts[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var lat)
            && double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var lon)
            && lat is >= -90 and <= 90 && lon is >= -180 and <= 180)
        {
            point = new GeoPoint(lat, lon);
            return true;
        }
        return false;
    }
}

/// <summary>
/// Geohash cells as index keys, so "within r km of a point" reads only the cells that cover the
/// circle's bounding box instead of the whole market. Each listing is indexed at several
/// precisions; a query picks the finest precision whose cover stays small.
/// </summary>
public static class Geohash
{
    /// <summary>Precisions a listing is indexed at: ~156 km, ~39 km, ~4.9 km and ~1.2 km cells.</summary>
    public static readonly int[] IndexedPrecisions = [3, 4, 5, 6];

    /// <summary>
    /// Precision of the combined tag-and-place index (~4.9 km cells): one entry per tag keeps a
    /// listing's worst-case rewrite (20 tags changed) inside one 100-operation transaction.
    /// </summary>
    public static readonly int[] TagPrecisions = [5];

    /// <summary>A query reads at most this many cells; a wider circle falls back to the market-wide index.</summary>
    public const int MaxCoverCells = 16;

    private const string Alphabet = "0123456789bcdefghjkmnpqrstuvwxyz";

    public static string Encode(GeoPoint point, int precision)
    {
        Span<char> hash = stackalloc char[precision];
        double latLow = -90, latHigh = 90, lonLow = -180, lonHigh = 180;
        var even = true;
        var bit = 0;
        var value = 0;
        var length = 0;
        while (length < precision)
        {
            if (even)
            {
                var middle = (lonLow + lonHigh) / 2;
                value = (value << 1) | (point.Lon >= middle ? 1 : 0);
                if (point.Lon >= middle) { lonLow = middle; } else { lonHigh = middle; }
            }
            else
            {
                var middle = (latLow + latHigh) / 2;
                value = (value << 1) | (point.Lat >= middle ? 1 : 0);
                if (point.Lat >= middle) { latLow = middle; } else { latHigh = middle; }
            }
            even = !even;
            if (++bit == 5)
            {
                hash[length++] = Alphabet[value];
                bit = 0;
                value = 0;
            }
        }
        return new string(hash);
    }

    /// <summary>Cell height and width in degrees at a precision.</summary>
    public static (double Lat, double Lon) CellSize(int precision)
    {
        var bits = 5 * precision;
        var lonBits = (bits + 1) / 2;
        var latBits = bits / 2;
        return (180.0 / (1L << latBits), 360.0 / (1L << lonBits));
    }

    /// <summary>
    /// The cells at the finest indexed precision that cover the circle's bounding box with at most
    /// <see cref="MaxCoverCells"/> cells, or null when even the coarsest needs more.
    /// </summary>
    public static (int Precision, IReadOnlyList<string> Cells)? Cover(GeoPoint center, double radiusKm) => Cover(center, radiusKm, IndexedPrecisions);

    /// <summary>As <see cref="Cover(GeoPoint, double)"/>, choosing among <paramref name="precisions"/> (ascending).</summary>
    public static (int Precision, IReadOnlyList<string> Cells)? Cover(GeoPoint center, double radiusKm, IReadOnlyList<int> precisions)
    {
        var latDelta = radiusKm / 111.32;
        var lonDelta = radiusKm / Math.Max(1e-6, 111.32 * Math.Cos(center.Lat * Math.PI / 180));
        var south = Math.Max(-90, center.Lat - latDelta);
        var north = Math.Min(90, center.Lat + latDelta);
        var west = Math.Max(-180, center.Lon - lonDelta);
        var east = Math.Min(180, center.Lon + lonDelta);
        for (var i = precisions.Count - 1; i >= 0; i--)
        {
            var precision = precisions[i];
            var (cellLat, cellLon) = CellSize(precision);
            var rows = (long)Math.Ceiling((north - south) / cellLat) + 1;
            var columns = (long)Math.Ceiling((east - west) / cellLon) + 1;
            if (rows * columns > MaxCoverCells)
            {
                continue;
            }
            var cells = new HashSet<string>(StringComparer.Ordinal);
            for (var lat = south; ; lat = Math.Min(north, lat + cellLat))
            {
                for (var lon = west; ; lon = Math.Min(east, lon + cellLon))
                {
                    cells.Add(Encode(new GeoPoint(lat, lon), precision));
                    if (lon >= east)
                    {
                        break;
                    }
                }
                if (lat >= north)
                {
                    break;
                }
            }
            return (precision, [.. cells.Order(StringComparer.Ordinal)]);
        }
        return null;
    }
}
