import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';

class ModelParams {
  @IsNumber() @Min(0) @Max(2) temperature!: number;
  @IsInt() @Min(1) max_tokens!: number;
  @IsOptional() @IsNumber() @Min(0) @Max(1) top_p?: number;
  @IsOptional() @IsArray() @IsString({ each: true }) stop?: string[];
  @IsNumber() @Min(1) timeout!: number;
}

class ModelSection {
  @ValidateNested() @Type(() => ModelParams) params!: ModelParams;
}

class PromptTemplateSection {
  @IsOptional() @IsString() system?: string;
  @IsOptional() @IsString() user?: string;
  @IsOptional() @IsString() assistant?: string;
}

/** The shape of one `definitions/<prompt id>/<family>/<version>.yml` file. */
export class PromptFile {
  @IsString() @IsNotEmpty() name!: string;
  @ValidateNested() @Type(() => ModelSection) model!: ModelSection;
  @IsArray() @ArrayNotEmpty() @IsString({ each: true }) unit_primitives!: string[];
  @ValidateNested() @Type(() => PromptTemplateSection) prompt_template!: PromptTemplateSection;
}
