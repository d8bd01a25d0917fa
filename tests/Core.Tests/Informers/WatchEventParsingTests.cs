using System.Buffers;
using System.Text;
using k8s.Models;
using KubeWeb.Core.Informers;

namespace KubeWeb.Core.Tests.Informers;

/// <summary>Watch lines are decoded from their bytes, whichever order the fields come in and however the line is split.</summary>
public sealed class WatchEventParsingTests
{
    [Fact]
    public void Modified_DecodesTheObject_AcrossSegments()
    {
        const string line = """{"type":"MODIFIED","object":{"kind":"Pod","apiVersion":"v1","metadata":{"name":"web-0","namespace":"default","resourceVersion":"12","annotations":{"type":"object"}},"spec":{"nodeName":"n1","containers":[{"name":"app","image":"nginx"}]}}}""";

        var single = ResourceClient.ParseEvent<V1Pod>(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(line)));
        var split = ResourceClient.ParseEvent<V1Pod>(Split(line, 37));

        foreach (var e in new[] { single, split })
        {
            Assert.Equal("MODIFIED", e.Type);
            Assert.Equal("web-0", e.Object!.Metadata.Name);
            Assert.Equal("12", e.Object.Metadata.ResourceVersion);
            Assert.Equal("n1", e.Object.Spec.NodeName);
            Assert.Equal("object", e.Object.Metadata.Annotations["type"]);
        }
    }

    [Fact]
    public void ObjectBeforeType_AndUnknownFields_AreAccepted()
    {
        var e = ResourceClient.ParseEvent<V1ConfigMap>(new ReadOnlySequence<byte>(
            """{"object":{"metadata":{"name":"c"},"data":{"type":"x"}},"extra":[1,{"a":2}],"type":"ADDED"}"""u8.ToArray()));

        Assert.Equal("ADDED", e.Type);
        Assert.Equal("x", e.Object!.Data["type"]);
    }

    [Fact]
    public void BookmarkAndError_CarryTheirVersionAndStatus()
    {
        var bookmark = ResourceClient.ParseEvent<V1Pod>(new ReadOnlySequence<byte>(
            """{"type":"BOOKMARK","object":{"kind":"Pod","apiVersion":"v1","metadata":{"resourceVersion":"99"}}}"""u8.ToArray()));
        var error = ResourceClient.ParseEvent<V1Pod>(new ReadOnlySequence<byte>(
            """{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}"""u8.ToArray()));

        Assert.Equal("99", bookmark.BookmarkVersion);
        Assert.Null(bookmark.Object);
        Assert.Equal(410, error.Status!.Code);
        Assert.Equal("Expired", error.Status.Reason);
    }

    [Fact]
    public void MalformedLines_AreJsonErrors()
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => ResourceClient.ParseEvent<V1Pod>(new ReadOnlySequence<byte>("""{"type":"ADDED"}"""u8.ToArray())));
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => ResourceClient.ParseEvent<V1Pod>(new ReadOnlySequence<byte>("""[1,2]"""u8.ToArray())));
    }

    private static ReadOnlySequence<byte> Split(string text, int at)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var first = new Segment(bytes[..at]);
        var last = first.Append(bytes[at..]);
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data) => Memory = data;

        public Segment Append(byte[] data)
        {
            var next = new Segment(data) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
