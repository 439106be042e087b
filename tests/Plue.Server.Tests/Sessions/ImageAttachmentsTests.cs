using Plue.Protocol;
using Plue.Rpc;
using Plue.Sessions;

namespace Plue.Tests.Sessions;

/// <summary>What an attached image must be before anything is stored or sent, and the reason given when it is not.</summary>
public sealed class ImageAttachmentsTests
{
    private static Attachment Image(string? mimeType, string? data) => new() { Kind = AttachmentKind.Image, Path = "shot.png", MimeType = mimeType, Data = data };

    [Theory]
    [InlineData(null, "AAAA", "of no stated type")]
    [InlineData("image/png", null, "has no data")]
    [InlineData("image/png", "", "has no data")]
    [InlineData("image/png", "not*base64*", "is not base64 data")]
    public void AnImageThatCannotBeSent_IsRefused_NamingItAndWhy(string? mimeType, string? data, string reason)
    {
        var error = Assert.Throws<RpcException>(() => ImageAttachments.Check(Image(mimeType, data)));

        Assert.Equal(ErrorCodes.InvalidParams, error.Code);
        Assert.Contains("shot.png", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Theory]
    [InlineData("image/png", "AQID")] // three bytes, no padding
    [InlineData("image/jpeg", "AQI=")]
    [InlineData("image/gif", "AQ==")]
    [InlineData("image/webp", "AQIDBA==")]
    public void APngJpegGifOrWebP_OfBase64Bytes_Passes(string mimeType, string data) => ImageAttachments.Check(Image(mimeType, data));

    [Fact]
    public void TheSizeLimit_CountsDecodedBytes_SoPaddingIsNotCounted()
    {
        // 5 MiB exactly: 4 base64 characters per 3 bytes, with one byte of the last group padded twice.
        var atLimit = Convert.ToBase64String(new byte[ImageAttachments.MaxBytes]);
        ImageAttachments.Check(Image("image/png", atLimit));

        var over = Convert.ToBase64String(new byte[ImageAttachments.MaxBytes + 1]);
        Assert.Contains("limited to 5 MB", Assert.Throws<RpcException>(() => ImageAttachments.Check(Image("image/png", over))).Message);
    }
}
