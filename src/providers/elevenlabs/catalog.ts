/**
 * ElevenLabs' premade voices as `GET /v1/voices` lists them (`voice_id`, `name`, `labels`,
 * `preview_url`): a public catalog that changes rarely, kept here as the answer when no
 * ElevenLabs key is configured and as what the sandbox emulator serves. Ids, names and
 * labels are those of ElevenLabs' own listing; `EXAVITQu4vr4xnSDxMaL` is listed today as
 * "Sarah", formerly "Bella" (the name kept here, which existing assistants show).
 */
export interface WireVoice {
  voice_id: string;
  name: string;
  category: 'premade';
  labels: { accent: string; description: string; age: string; gender: string; use_case: string };
  preview_url: string;
}

const PREVIEWS = 'https://storage.googleapis.com/eleven-public-prod/premade/voices';

type Row = [id: string, name: string, accent: string, description: string, age: string, gender: string, useCase: string, preview: string];

const ROWS: Row[] = [
  ['21m00Tcm4TlvDq8ikWAM', 'Rachel', 'american', 'calm', 'young', 'female', 'narration', '6edb9076-c3e4-420c-b6ab-11d43fe341c8'],
  ['EXAVITQu4vr4xnSDxMaL', 'Bella', 'american', 'soft', 'young', 'female', 'narration', '04365bce-98cc-4e99-9f10-56b60680cda9'],
  ['AZnzlk1XvdvUeBnXmlld', 'Domi', 'american', 'strong', 'young', 'female', 'narration', '69c5373f-0dc2-4efd-9232-a0140182c0a9'],
  ['MF3mGyEYCl7XYWbV9V6O', 'Elli', 'american', 'emotional', 'young', 'female', 'narration', 'f9fd64c3-5d62-45cd-b0dc-ad722ee3284e'],
  ['XrExE9yKIg1WjnnlVkGX', 'Matilda', 'american', 'warm', 'young', 'female', 'audiobook', 'b930e18d-6b4d-466e-bab2-0ae97c6d8535'],
  ['Xb7hH8MSUJpSbSDYk0k2', 'Alice', 'british', 'confident', 'middle aged', 'female', 'news', 'd10f7534-11f6-41fe-a012-2de1e482d336'],
  ['pFZP5JQG7iQjIQuC4Bku', 'Lily', 'british', 'raspy', 'middle aged', 'female', 'narration', '89b68b35-b3dd-4348-a84a-a3c13a3c2b30'],
  ['pNInz6obpgDQGcFmaJgB', 'Adam', 'american', 'deep', 'middle aged', 'male', 'narration', 'e0b45450-78db-49b9-aaa4-d5358a6871bd'],
  ['ErXwobaYiN019PkySvjV', 'Antoni', 'american', 'well-rounded', 'young', 'male', 'narration', '38d8f8f0-1122-4333-b323-0b87478d506a'],
  ['TxGEqnHWrfWFTfGW9XjX', 'Josh', 'american', 'deep', 'young', 'male', 'narration', 'c6c80dcd-5fe5-4a4c-a74c-b3fec4c62c67'],
  ['VR6AewLTigWG4xSOukaG', 'Arnold', 'american', 'crisp', 'middle aged', 'male', 'narration', '66e83dc2-6543-4897-9283-e028ac5ae4aa'],
  ['yoZ06aMxZJJ28mfd3POQ', 'Sam', 'american', 'raspy', 'young', 'male', 'narration', '1c4d417c-ba80-4de8-874a-a1c57987ea63'],
  ['29vD33N1CtxCmqQRPOHJ', 'Drew', 'american', 'well-rounded', 'middle aged', 'male', 'news', 'b99fc51d-12d3-4312-b480-a8a45a7d51ef'],
  ['5Q0t7uMcjvnagumLfvZi', 'Paul', 'american', 'ground reporter', 'middle aged', 'male', 'news', 'a4aaa30e-54c4-44a4-8e46-b9b00505d963'],
  ['nPczCjzI2devNBz1zQrb', 'Brian', 'american', 'deep', 'middle aged', 'male', 'narration', '2dd3e72c-4fd3-42f1-93ea-abc5d4e5aa1d'],
  ['IKne3meq5aSn9XLyUdCD', 'Charlie', 'australian', 'casual', 'middle aged', 'male', 'conversational', '102de6f2-22ed-43e0-a1f1-111fa75c5481'],
  ['JBFqnCBsd6RMkjVDRZzb', 'George', 'british', 'raspy', 'middle aged', 'male', 'narration', 'e6206d1a-0721-4787-aafb-06a6e705cac5'],
  ['onwK4e9ZLuTAKqWW03F9', 'Daniel', 'british', 'deep', 'middle aged', 'male', 'news presenter', '7eee0236-1a72-4b86-b303-5dcadc007ba9'],
];

export const PREMADE_VOICES: readonly WireVoice[] = ROWS.map(([voice_id, name, accent, description, age, gender, use_case, preview]) => ({
  voice_id,
  name,
  category: 'premade',
  labels: { accent, description, age, gender, use_case },
  preview_url: `${PREVIEWS}/${voice_id}/${preview}.mp3`,
}));
