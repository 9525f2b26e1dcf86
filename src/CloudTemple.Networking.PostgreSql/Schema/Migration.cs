namespace CloudTemple.Networking.PostgreSql;

/// <summary>One schema version: a script run once, in the migration transaction. <c>{schema}</c> stands for the schema name.</summary>
internal sealed record Migration(int Version, string Description, string Script);
