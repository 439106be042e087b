using Microsoft.Extensions.AI;
using Plue.Providers;

namespace Plue.Transcripts;

/// <summary>Who may answer a model call: a provider instance (its connection), the client that asks it, and the model.</summary>
internal sealed record AnswerRoute(ProviderConnection Connection, IChatClient Client, string ModelId);
