namespace CloudTemple.Networking.Changes;

/// <summary>One entry of a <see cref="ChangeFeed{T}"/>: a change and its number on the feed.</summary>
/// <remarks>Immutable; as thread-safe as <typeparamref name="T"/>.</remarks>
/// <typeparam name="T">The type of the changes.</typeparam>
/// <param name="Sequence">
/// The entry's number on its feed, from 1 and without gaps at publication: a subscriber that sees a
/// number more than one above the previous one lost the entries in between (its buffer overflowed).
/// </param>
/// <param name="Change">The change.</param>
public readonly record struct ChangeFeedEntry<T>(long Sequence, T Change);
