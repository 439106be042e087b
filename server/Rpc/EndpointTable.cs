using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;

namespace Plue.Rpc;

/// <summary>
/// A feature's endpoint table as the host knows it before making it: what it serves (whole method names, or areas as a
/// prefix ending in '/') and how to make it. The host adds each to the router (<see cref="RequestRouter.AddTable"/>),
/// which makes it on the first call of one of its methods; one <see cref="AtStart"/> is made and mapped at start, for
/// the changes it tells the client from then on.
/// </summary>
public sealed record EndpointTable(string Name, IReadOnlyList<string> Serves, bool AtStart, Func<IServiceProvider, IEndpoints> Make);

public static class EndpointTableRegistration
{
    /// <summary>Registers <typeparamref name="T"/> as a table made on the first call of a method it serves.</summary>
    public static IServiceCollection AddEndpoints<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(this IServiceCollection services, params string[] serves) where T : class, IEndpoints =>
        services.AddEndpoints<T>(atStart: false, serves);

    /// <param name="atStart">Made and mapped at start: a table whose <see cref="IEndpoints.Map"/> also subscribes to its feature's changes, to tell the client of them from the first.</param>
    public static IServiceCollection AddEndpoints<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(this IServiceCollection services, bool atStart, params string[] serves) where T : class, IEndpoints
    {
        services.AddSingleton<T>();
        services.AddSingleton(new EndpointTable(typeof(T).Name, serves, atStart, sp => sp.GetRequiredService<T>()));
        return services;
    }
}
