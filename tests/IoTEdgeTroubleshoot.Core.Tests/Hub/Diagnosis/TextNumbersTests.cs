using System.Collections.Generic;
using System.Linq;
using IoTEdgeTroubleshoot.Hub.Diagnosis;
using Xunit;

namespace IoTEdgeTroubleshoot.Tests.Hub.Diagnosis
{
    public class TextNumbersTests
    {
        [Fact]
        public void EqualTexts_GetOneNumber_WhetherOrNotTheyAreOneObject()
        {
            var numbers = new TextNumbers();
            ushort mqtt = numbers.NumberOf("Mqtt");
            ushort amqp = numbers.NumberOf("Amqp");

            Assert.Equal(0, numbers.NumberOf(null));
            Assert.Equal(1, mqtt);
            Assert.Equal(2, amqp);
            Assert.Equal(mqtt, numbers.NumberOf(new string("Mqtt".ToCharArray()))); // another object, the same text
            Assert.Equal(amqp, numbers.NumberOf("Amqp"));
            Assert.Equal(3, numbers.Count);
            Assert.Equal("Mqtt", numbers[mqtt]);
            Assert.Null(numbers[0]);
        }

        [Fact]
        public void ManyTexts_ThatDifferOnlyInTheirMiddle_KeepTheirNumbers_AsTheTableGrows()
        {
            // SDK versions differ in their middle, the hash's hardest case for a table that uses its low bits.
            var numbers = new TextNumbers();
            var texts = Enumerable.Range(0, 20000).Select(i => $"Microsoft.Azure.Devices.Client/1.{i}.0 (.NET 6.0.25; Linux; X64)").ToList();
            var given = texts.Select(t => numbers.NumberOf(t)).ToList();

            Assert.Equal(Enumerable.Range(1, texts.Count).Select(i => (ushort)i), given);
            for (int i = 0; i < texts.Count; i++)
            {
                Assert.Equal(given[i], numbers.NumberOf(new string(texts[i].ToCharArray())));
                Assert.Equal(texts[i], numbers[given[i]]);
            }

            Assert.Equal(texts.Count + 1, numbers.Count);
        }

        [Fact]
        public void Clear_ForgetsEveryText_AndNumbersAgainFromOne()
        {
            var numbers = new TextNumbers();
            foreach (var text in Enumerable.Range(0, 5000).Select(i => "sdk-" + i)) numbers.NumberOf(text);
            numbers.Clear();

            Assert.Equal(1, numbers.Count);
            Assert.Equal(1, numbers.NumberOf("sdk-4999"));
            Assert.Equal(2, numbers.NumberOf("sdk-0"));
            Assert.Equal(1, numbers.NumberOf("sdk-4999"));
        }
    }
}
