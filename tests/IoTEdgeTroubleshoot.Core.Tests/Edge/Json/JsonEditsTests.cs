using System;
using IoTEdgeTroubleshoot.Edge.Json;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Edge.Json
{
    public class JsonEditsTests
    {
        private static string Set(string text, string[] path, JsonValue value, string unit = "  ")
        {
            var root = JsonText.Parse(text, out var error)!;
            Assert.Null(error);
            string result = JsonEdits.Set(text, root, path, value, JsonLayout.Of(text, root, unit));
            Assert.NotNull(JsonText.Parse(result, out var after));
            Assert.Null(after);
            return result;
        }

        [Theory]
        [InlineData("{\"a\":1}", "{\"a\":1,\"b\":\"x\"}")]
        [InlineData("{ \"a\": 1 }", "{ \"a\": 1, \"b\": \"x\" }")]
        [InlineData("{\n\t\"a\": 1\n}\n", "{\n\t\"a\": 1,\n\t\"b\": \"x\"\n}\n")]
        [InlineData("{\r\n    \"a\" : 1\r\n}", "{\r\n    \"a\" : 1,\r\n    \"b\" : \"x\"\r\n}")]
        [InlineData("{\n  \"a\": 1, \"c\": 2\n}", "{\n  \"a\": 1, \"c\": 2,\n  \"b\": \"x\"\n}")]
        public void NewMember_LooksLikeItsSiblings(string text, string expected) =>
            Assert.Equal(expected, Set(text, new[] { "b" }, JsonValue.Of("x")));

        [Fact]
        public void MissingObjects_AreAddedWhole_AtTheFilesIndentation()
        {
            string text = "{\n    \"a\": {\n        \"keep\": true\n    }\n}\n";
            Assert.Equal("{\n    \"a\": {\n        \"keep\": true,\n        \"b\": {\n            \"c\": \"x\"\n        }\n    }\n}\n", Set(text, new[] { "a", "b", "c" }, JsonValue.Of("x")));
        }

        [Fact]
        public void EmptyObjectOnItsOwnLine_Opens_AndOneInsideALine_StaysOnIt()
        {
            Assert.Equal("{\n  \"env\": {\n    \"b\": \"x\"\n  }\n}", Set("{\n  \"env\": {}\n}", new[] { "env", "b" }, JsonValue.Of("x")));
            Assert.Equal("{\n  \"m\": { \"env\": {\"b\": \"x\"} }\n}", Set("{\n  \"m\": { \"env\": {} }\n}", new[] { "m", "env", "b" }, JsonValue.Of("x")));
        }

        [Fact]
        public void ExistingValue_OnlyItsCharactersChange()
        {
            string text = "{\n  \"x\": \"\\u00e9\",\n  \"dns\": [ \"8.8.8.8\" ]\n}";
            Assert.Equal("{\n  \"x\": \"\\u00e9\",\n  \"dns\": [\"1.1.1.1\"]\n}", Set(text, new[] { "dns" }, JsonValue.Of(new[] { "1.1.1.1" })));
        }

        [Fact]
        public void AMemberWrittenTwice_TheLastIsTheOneEdited()
        {
            Assert.Equal("{ \"a\": 1, \"a\": \"x\" }", Set("{ \"a\": 1, \"a\": 2 }", new[] { "a" }, JsonValue.Of("x")));
        }

        [Fact]
        public void AValueInTheWay_IsAShapeError()
        {
            string text = "{ \"a\": [1] }";
            var root = JsonText.Parse(text, out _)!;
            var ex = Assert.Throws<JsonShapeException>(() => JsonEdits.Set(text, root, new[] { "a", "b" }, JsonValue.Of("x"), JsonLayout.Of(text, root, "  ")));
            Assert.Equal("a is an array, not an object", ex.Message);
        }

        [Theory]
        [InlineData("{ \"a\": 1, \"b\": 2, \"c\": 3 }", "a", "{ \"b\": 2, \"c\": 3 }")]
        [InlineData("{ \"a\": 1, \"b\": 2, \"c\": 3 }", "b", "{ \"a\": 1, \"c\": 3 }")]
        [InlineData("{ \"a\": 1, \"b\": 2, \"c\": 3 }", "c", "{ \"a\": 1, \"b\": 2 }")]
        [InlineData("{\n  \"a\": 1\n}", "a", "{}")]
        public void Remove_TakesItsCommaWithIt(string text, string name, string expected)
        {
            var root = JsonText.Parse(text, out _)!;
            Assert.Equal(expected, JsonEdits.Remove(text, root, root.Member(name)!));
        }

        [Theory]
        [InlineData("plain", "\"plain\"")]
        [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
        [InlineData("tab\there\u0001é", "\"tab\\there\\u0001é\"")]
        public void Quote_EscapesWhatJsonNeeds(string value, string expected) => Assert.Equal(expected, JsonEdits.Quote(value));

        [Fact]
        public void Spans_PointAtTheirCharacters_WhateverTheEscapes()
        {
            string text = "{\"k\\\"ey\":\"v\\u0041\",\"n\":-1.5e3,\"t\":true}";
            var root = JsonText.Parse(text, out _)!;
            Assert.Equal("vA", root["k\"ey"]!.StringValue);
            Assert.Equal("-1.5e3", root["n"]!.NumberText);
            Assert.Equal("true", root["t"]!.RawText(text));
            Assert.Equal((1, 20), JsonText.Position(text, root.Member("n")!.NameStart));
        }
    }
}
