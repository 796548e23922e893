import { join } from 'node:path';
import { Embedder } from './embedder';
import { EmptyTextError } from './embedding.errors';
import { EmbeddingService } from './embedding.service';
import { resolveModel } from './model-registry';

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i], 0);

describe('EmbeddingService (real model from models/)', () => {
  let embedder: Embedder;
  let sut: EmbeddingService;

  beforeAll(async () => {
    const model = await resolveModel(join(__dirname, '../../../models'), 'bge-small-zh-v1.5');
    embedder = await Embedder.load(model, { batchSize: 1, threads: 0 });
    sut = new EmbeddingService(embedder, model.queryInstruction);
  });
  afterAll(() => embedder.dispose());

  it('records the model id and dimension with its vectors', () => {
    expect(sut.modelId).toMatch(/^bge-small-zh-v1\.5:q8:[0-9a-f]{12}$/);
    expect(sut.dimension).toBe(512);
  });

  it('gives a demand written in Traditional and in Simplified Chinese the same vector', async () => {
    const [traditional, simplified] = await sut.embed([
      '我們公司需要一種能降低注塑件翹曲變形的工藝改進方案',
      '我们公司需要一种能降低注塑件翘曲变形的工艺改进方案',
    ]);
    expect(Array.from(traditional)).toEqual(Array.from(simplified));
  });

  it('gives the same text the same vector whatever else is in the call', async () => {
    const alone = await sut.embedOne('新能源汽车动力电池回收与梯次利用技术');
    const [, together] = await sut.embed(['一种治疗2型糖尿病的中药组合物', '新能源汽车动力电池回收与梯次利用技术']);
    expect(Array.from(together)).toEqual(Array.from(alone));
  });

  it('ranks a related achievement above an unrelated one', async () => {
    const demand = await sut.embedOne('需要动力电池回收技术', 'query');
    const [related, unrelated] = await sut.embed([
      '本成果提出一种废旧锂离子电池正极材料的湿法回收工艺，锂、钴、镍回收率超过95%。',
      '本成果提出一种治疗2型糖尿病的中药组合物及其制备方法。',
    ]);
    expect(cosine(demand, related)).toBeGreaterThan(cosine(demand, unrelated) + 0.1);
  });

  it('adds the retrieval instruction to queries only', async () => {
    const text = '动力电池回收';
    const [asQuery, asPassage] = [await sut.embedOne(text, 'query'), await sut.embedOne(text, 'passage')];
    expect(cosine(asQuery, asPassage)).toBeLessThan(0.999);
  });

  it('embeds a query asked again only once, and a passage every time', async () => {
    const forward = jest.spyOn(embedder, 'embed');
    try {
      const first = await sut.embedOne('工业机器人视觉引导装配', 'query');
      const again = await sut.embedOne('工业机器人视觉引导装配', 'query');
      expect(Array.from(again)).toEqual(Array.from(first));
      expect(forward).toHaveBeenCalledTimes(1);
      await sut.embedOne('工业机器人视觉引导装配', 'passage');
      await sut.embedOne('工业机器人视觉引导装配', 'passage');
      expect(forward).toHaveBeenCalledTimes(3);
    } finally {
      forward.mockRestore();
    }
  });

  it('refuses empty text instead of returning a zero vector', async () => {
    await expect(sut.embed(['有内容', '  \n '])).rejects.toThrow(EmptyTextError);
  });
});
