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

        [Fact]
        public void NumbersAgreeWithADictionary_UpToTheMostABufferHolds_AndAfterClear()
        {
            // Texts as new objects every time (piped events), short and long, until a buffer's most (65,533 numbers) and
            // cleared there as the buffer is, with a Clear now and then in between.
            var random = new System.Random(9);
            var numbers = new TextNumbers();
            var model = new Dictionary<string, ushort>();
            int most = 0;
            for (int op = 0; op < 300_000; op++)
            {
                most = System.Math.Max(most, numbers.Count);
                if (random.Next(200_000) == 0 || model.Count + 1 >= 65_533)
                {
                    numbers.Clear();
                    model.Clear();
                }

                string text = "sdk/" + random.Next(70_000) + (random.Next(2) == 0 ? "" : " (.NET 8.0; Linux; X64)");
                if (!model.TryGetValue(text, out ushort expected)) model[text] = expected = (ushort)(model.Count + 1);

                ushort number = numbers.NumberOf(new string(text.ToCharArray()));

                Assert.Equal(expected, number);
                Assert.Equal(text, numbers[number]);
                Assert.Equal(model.Count + 1, numbers.Count);
            }

            Assert.Equal(65_533, most);
        }
    }
}
