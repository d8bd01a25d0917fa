namespace KubeWeb.Bench;

/// <summary>What one run measures; every phase is bounded by a count and by <see cref="PhaseLimit"/>.</summary>
internal sealed record BenchSettings
{
    public bool Postgres { get; init; }

    public int Pods { get; init; } = 3000;

    public int SerialCreates { get; init; } = 1000;

    public int ConcurrentCreates { get; init; } = 5000;

    public int Clients { get; init; } = 64;

    public int Gets { get; init; } = 1000;

    public int Lists { get; init; } = 30;

    public int RawSingleRows { get; init; } = 2000;

    public int RawBatchedRows { get; init; } = 20_000;

    /// <summary>Rows per transaction in the batched raw run: about what 64 clients give the group commit.</summary>
    public int RawBatch { get; init; } = 64;

    public TimeSpan PhaseLimit { get; init; } = TimeSpan.FromSeconds(30);

    public static BenchSettings Parse(string[] args)
    {
        var s = new BenchSettings();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            s = args[i] switch
            {
                "--datastore" => s with
                {
                    Postgres = value switch
                    {
                        "postgres" => true,
                        "sqlite" => false,
                        _ => throw new ArgumentException($"--datastore is sqlite or postgres, not {value}"),
                    },
                },
                "--pods" => s with { Pods = int.Parse(value) },
                "--creates" => s with { ConcurrentCreates = int.Parse(value), SerialCreates = Math.Min(int.Parse(value), s.SerialCreates) },
                "--clients" => s with { Clients = int.Parse(value) },
                "--phase-seconds" => s with { PhaseLimit = TimeSpan.FromSeconds(int.Parse(value)) },
                _ => throw new ArgumentException($"unknown option {args[i]}; use --datastore sqlite|postgres, --pods N, --creates N, --clients N, --phase-seconds N"),
            };
            i++;
        }

        return s;
    }
}
