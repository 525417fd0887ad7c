using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Pairwise.Accounts;

/// <summary>
/// PBKDF2-HMAC-SHA512 with 210,000 iterations (OWASP's floor for it) and a 16-byte salt, from the
/// platform's own crypto: no native dependency, and the format names its parameters so they can
/// be raised later and old hashes upgraded on log-in. See docs/decisions/0004-passwords.md.
/// </summary>
public sealed class PasswordHasher
{
    public const int Iterations = 210_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private const string Scheme = "pbkdf2-sha512";

    // Checked when the e-mail is unknown, so that answer costs as long as a wrong password.
    private readonly string _dummyHash;

    public PasswordHasher() => _dummyHash = Hash("not-a-real-password-" + Guid.NewGuid());

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, Iterations);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    public bool Verify(string password, string? encoded)
    {
        var parts = (encoded ?? _dummyHash).Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var iterations))
        {
            return false;
        }
        var expected = Convert.FromBase64String(parts[3]);
        var actual = Derive(password, Convert.FromBase64String(parts[2]), iterations);
        return CryptographicOperations.FixedTimeEquals(actual, expected) && encoded is not null;
    }

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password.Normalize(NormalizationForm.FormKC)), salt, iterations, HashAlgorithmName.SHA512, HashBytes);
}

/// <summary>
/// The 100,000 most common passwords of 8 or more characters (from the OWASP SecLists top-1M
/// list; see docs/NOTICE.md). NIST 800-63B: reject known-breached passwords instead of
/// imposing composition rules.
/// </summary>
public sealed class CommonPasswords
{
    private readonly Lazy<HashSet<string>> _passwords = new(Load);

    public bool Contains(string password) => _passwords.Value.Contains(password.ToLowerInvariant());

    private static HashSet<string> Load()
    {
        var assembly = Assembly.GetExecutingAssembly();
        using var stream = assembly.GetManifestResourceStream("Pairwise.Accounts.common-passwords.txt.gz")
            ?? throw new InvalidOperationException("The common password list is missing from the build.");
        using var reader = new StreamReader(new GZipStream(stream, CompressionMode.Decompress), Encoding.UTF8);
        var set = new HashSet<string>(110_000, StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            set.Add(line.ToLowerInvariant());
        }
        return set;
    }
}
