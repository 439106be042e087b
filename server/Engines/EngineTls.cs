using System.Security.Cryptography.X509Certificates;
using Docker.DotNet.X509;

namespace Plue.Engines;

/// <summary>
/// A <c>tcp://</c> engine's TLS material as PEM text (read from files or the vault by whoever built it): the authority
/// the engine's certificate must chain to, and the client's certificate and key the engine checks.
/// </summary>
public sealed record EngineTls(string AuthorityPem, string CertificatePem, string KeyPem)
{
    /// <summary>The credentials the Engine API client sends; a PEM that does not parse is an <see cref="EngineException"/>.</summary>
    internal Docker.DotNet.Handler.Abstractions.IAuthProvider Credentials(string engineName)
    {
        try
        {
            var authority = X509Certificate2.CreateFromPem(AuthorityPem);
            using var pem = X509Certificate2.CreateFromPem(CertificatePem, KeyPem);
            // Through PKCS#12: a key made from PEM is ephemeral, which some systems' TLS cannot present.
            var client = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            return new DockerTlsCertificates(client, authority).CreateCredentials();
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new EngineException($"The TLS certificates of {engineName} cannot be read ({e.Message.TrimEnd('.')}): give the CA, the certificate and its key as PEM files.", EngineFix.Certificates, e);
        }
    }
}
