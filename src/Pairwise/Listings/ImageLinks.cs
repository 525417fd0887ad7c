using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;
using Pairwise.Accounts;

namespace Pairwise.Listings;

/// <summary>
/// Where a listing's images are served. A published listing's images are public and cached for a
/// year. A draft's are for its owner only: only the owner ever receives a draft, and the image
/// links in it carry a signature that expires within hours; the bare address of a draft's image is
/// not found, so a link seen while a listing was live stops working when it goes back to draft.
/// </summary>
public sealed class ImageLinks(TokenService tokens, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(6);
    private byte[]? _key;

    public string Url(ListingRecord listing, ListingImage image)
    {
        if (listing.Status != ListingRules.Draft)
        {
            return $"/v1/images/{image.Id}";
        }
        // The same link for a whole hour, so the owner's browser can cache it while they edit.
        var expires = (time.GetUtcNow().ToUnixTimeSeconds() / 3600 + 1) * 3600 + (long)Lifetime.TotalSeconds;
        return $"/v1/images/{image.Id}?expires={expires}&signature={Sign(image.Id, expires)}";
    }

    /// <summary>True for a signature this node (or any node) made for this image that has not expired.</summary>
    public bool IsSigned(string imageId, long? expires, string? signature) =>
        expires is { } at && signature is { Length: 43 } && at > time.GetUtcNow().ToUnixTimeSeconds()
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(imageId, at)), Encoding.ASCII.GetBytes(signature));

    private string Sign(string imageId, long expires)
    {
        _key ??= tokens.DeriveKey("image links");
        return Base64UrlEncoder.Encode(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{imageId}:{expires}")));
    }
}
