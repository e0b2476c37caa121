import { IsInt, IsString, MetadataStorage, validateSync } from 'class-validator';
import { cacheValidationMetadata } from './validation-metadata-cache';

class Named {
  @IsString() name!: string;
}

class Counted extends Named {
  @IsInt() count!: number;
}

describe(cacheValidationMetadata.name, () => {
  it('keeps validation results, inherited rules included, call after call', () => {
    cacheValidationMetadata();
    const invalid = Object.assign(new Counted(), { name: 1, count: 'x' });
    for (let call = 0; call < 2; call += 1) {
      expect(
        validateSync(invalid)
          .map((error) => error.property)
          .sort(),
      ).toEqual(['count', 'name']);
    }
    expect(validateSync(Object.assign(new Counted(), { name: 'n', count: 1 }))).toEqual([]);
  });

  it('looks a class up once per set of options', () => {
    const storage = new MetadataStorage();
    const lookup = jest.spyOn(storage, 'getTargetValidationMetadatas');
    cacheValidationMetadata(storage);
    const first = storage.getTargetValidationMetadatas(Counted, '', false, false);
    expect(storage.getTargetValidationMetadatas(Counted, '', false, false)).toBe(first);
    storage.getTargetValidationMetadatas(Counted, '', false, false, ['admin']);
    expect(lookup).toHaveBeenCalledTimes(2);
    expect(storage.groupByPropertyName(first)).toBe(storage.groupByPropertyName(first));
  });
});
