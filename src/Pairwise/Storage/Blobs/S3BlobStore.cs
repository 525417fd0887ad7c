using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Pairwise.Platform;

namespace Pairwise.Storage;

/// <summary>
/// Blobs in an S3 bucket (AWS, or any S3-compatible server), shared by every node. A PUT is atomic
/// in S3 — an object exists whole or not at all — so an upload cut off half-way leaves nothing
/// behind; when the bucket cannot be reached the request fails with a 503 that says so.
/// </summary>
public sealed class S3BlobStore(IAmazonS3 s3, string bucket) : IBlobStore, IInitializableStore
{
    public async Task InitializeAsync(CancellationToken cancellationToken = default) =>
        await CallAsync(async () =>
        {
            try
            {
                await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, cancellationToken);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
            {
                // Made by another node, or by the operator beforehand.
            }
            return true;
        }, cancellationToken);

    public async Task PutAsync(string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken) =>
        await CallAsync(async () =>
        {
            using var body = new MemoryStream(content.ToArray(), writable: false);
            // One signed body, not aws-chunked framing: images are small, and every S3-compatible server reads a plain body.
            return await s3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket, Key = key, InputStream = body, ContentType = contentType, AutoCloseStream = false, UseChunkEncoding = false,
            }, cancellationToken);
        }, cancellationToken);

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken) =>
        await CallAsync<Stream?>(async () =>
        {
            try
            {
                var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, cancellationToken);
                return response.ResponseStream;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }, cancellationToken);

    public async Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        await CallAsync(async () => await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key }, cancellationToken), cancellationToken);

    /// <summary>The bucket not answering (down, unreachable, timing out, refusing us) is a 503, never a 500.</summary>
    private static async Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is AmazonServiceException { StatusCode: >= HttpStatusCode.InternalServerError } or AmazonClientException or HttpRequestException
            or IOException or TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new DependencyUnavailableException("The image storage is not answering; nothing was changed. Try again shortly.", e);
        }
    }
}
