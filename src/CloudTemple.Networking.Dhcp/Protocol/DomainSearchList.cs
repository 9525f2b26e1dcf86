using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace CloudTemple.Networking.Dhcp.Protocol;

/// <summary>
/// Encodes and decodes the domain search option (119, RFC 3397): a sequence of RFC 1035 names in which
/// a repeated suffix is replaced by a pointer to its first occurrence (offsets count from the start of
/// the concatenated option value).
/// </summary>
public static class DomainSearchList
{
    private const int MaxLabelLength = 63;
    private const int MaxNameLength = 255;
    private const int MaxPointerOffset = 0x3FFF;

    /// <summary>Encodes domain names with compression.</summary>
    /// <param name="domains">Names such as <c>corp.example.com</c> (a trailing dot is allowed).</param>
    /// <returns>The option value.</returns>
    /// <exception cref="ArgumentException">A name is empty, has an empty or too long label, is too long, or is not ASCII.</exception>
    public static byte[] Encode(IEnumerable<string> domains)
    {
        ArgumentNullException.ThrowIfNull(domains);
        var output = new List<byte>();
        var suffixes = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var domain in domains)
        {
            string name = Validate(domain);
            var labels = name.Split('.');
            bool pointed = false;
            for (int i = 0; i < labels.Length; i++)
            {
                string suffix = string.Join('.', labels, i, labels.Length - i);
                if (suffixes.TryGetValue(suffix, out int offset))
                {
                    output.Add((byte)(0xC0 | (offset >> 8)));
                    output.Add((byte)offset);
                    pointed = true;
                    break;
                }

                if (output.Count <= MaxPointerOffset)
                {
                    suffixes[suffix] = output.Count;
                }

                output.Add((byte)labels[i].Length);
                output.AddRange(Encoding.ASCII.GetBytes(labels[i]));
            }

            if (!pointed)
            {
                output.Add(0);
            }
        }

        return [.. output];
    }

    /// <summary>Decodes the option value, following compression pointers (only backwards, so loops are impossible).</summary>
    /// <param name="value">The concatenated option value.</param>
    /// <param name="domains">The names (without trailing dot) when the method returns <see langword="true"/>.</param>
    /// <returns>Whether the value is well-formed.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> value, [NotNullWhen(true)] out string[]? domains)
    {
        domains = null;
        var names = new List<string>();
        var name = new StringBuilder();
        int position = 0;
        while (position < value.Length)
        {
            name.Clear();
            int cursor = position;
            int limit = position;
            bool jumped = false;
            while (true)
            {
                if (cursor >= value.Length)
                {
                    return false;
                }

                byte length = value[cursor];
                if (length == 0)
                {
                    if (!jumped)
                    {
                        position = cursor + 1;
                    }

                    break;
                }

                if ((length & 0xC0) == 0xC0)
                {
                    if (cursor + 1 >= value.Length)
                    {
                        return false;
                    }

                    int target = ((length & 0x3F) << 8) | value[cursor + 1];
                    // A pointer must go strictly before everything read so far for this name.
                    if (target >= limit)
                    {
                        return false;
                    }

                    if (!jumped)
                    {
                        position = cursor + 2;
                        jumped = true;
                    }

                    limit = target;
                    cursor = target;
                    continue;
                }

                if ((length & 0xC0) != 0 || cursor + 1 + length > value.Length)
                {
                    return false;
                }

                if (name.Length > 0)
                {
                    name.Append('.');
                }

                name.Append(Encoding.ASCII.GetString(value.Slice(cursor + 1, length)));
                if (name.Length > MaxNameLength)
                {
                    return false;
                }

                cursor += 1 + length;
            }

            if (name.Length > 0)
            {
                names.Add(name.ToString());
            }
        }

        domains = [.. names];
        return true;
    }

    private static string Validate(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        string name = domain.EndsWith('.') ? domain[..^1] : domain;
        if (name.Length == 0 || name.Length > 253 || !Ascii.IsValid(name))
        {
            throw new ArgumentException($"'{domain}' is not a valid domain name (1 to 253 ASCII characters).", nameof(domain));
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > MaxLabelLength)
            {
                throw new ArgumentException($"'{domain}' has an empty label or a label longer than {MaxLabelLength} characters.", nameof(domain));
            }
        }

        return name;
    }
}
