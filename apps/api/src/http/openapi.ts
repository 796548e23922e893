import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Technology-transfer matchmaking API')
    .setDescription(
      'Achievements, demands, experts and brokers of the Zhejiang technology market; matches and leads. ' +
        'Error bodies name each offending field.',
    )
    .setVersion('1')
    .build();
  return SwaggerModule.createDocument(app, config);
}
